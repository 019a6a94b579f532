package dev.vqclip.discord.fake;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The smallest RFC 6455 server JDA's gateway client needs: the HTTP upgrade handshake, unmasking of client
 * frames (text, continuation, ping, close) and unfragmented, unmasked server text frames. No extensions are
 * negotiated, so the client never compresses per message.
 */
final class WebSocketServer implements Closeable {
    /** The GUID every server appends to Sec-WebSocket-Key (RFC 6455 §1.3). */
    private static final String HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    interface Handler {
        void onOpen(Connection connection, String requestPath);

        void onText(Connection connection, String text);
    }

    private final ServerSocket serverSocket;
    private final Handler handler;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    WebSocketServer(Handler handler) throws IOException {
        this.handler = handler;
        this.serverSocket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fake-gateway-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                Thread reader = new Thread(() -> serve(socket), "fake-gateway-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String path = handshake(in, socket.getOutputStream());
            Connection connection = new Connection(socket);
            connections.add(connection);
            handler.onOpen(connection, path);
            readFrames(in, connection);
        } catch (EOFException | SocketException gone) {
            // the client hung up; nothing to answer
        } catch (IOException e) {
            throw new IllegalStateException("fake gateway connection failed", e);
        }
    }

    private static String handshake(DataInputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in);
        String key = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = line.substring(colon + 1).trim();
            }
        }
        if (key == null) {
            throw new IOException("not a WebSocket upgrade: " + requestLine);
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return requestLine.split(" ")[1];
    }

    static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + HANDSHAKE_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void readFrames(DataInputStream in, Connection connection) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if (fin) {
                        handler.onText(connection, message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
                case 0x8 -> {
                    connection.sendFrame(0x8, payload);
                    return;
                }
                case 0x9 -> connection.sendFrame(0xA, payload);
                default -> { } // pong or binary: JDA sends neither meaningfully
            }
        }
    }

    List<Connection> connections() {
        return connections;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        for (Connection c : connections) {
            c.socket.close();
        }
    }

    /** One client connection; sends are serialised so frames never interleave. */
    static final class Connection {
        private final Socket socket;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void sendText(String text) {
            try {
                sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("could not send to the gateway client", e);
            }
        }

        synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(0x80 | opcode);
            if (payload.length < 126) {
                out.write(payload.length);
            } else if (payload.length < 65536) {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xFF);
            } else {
                out.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out.write((int) ((long) payload.length >>> shift) & 0xFF);
                }
            }
            out.write(payload);
            out.flush();
        }

        boolean isOpen() {
            return !socket.isClosed();
        }

        /** A close frame with {@code code} (e.g. 4004, authentication failed), then the socket closes. */
        void close(int code, String reason) {
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            byte[] payload = new byte[2 + text.length];
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) code;
            System.arraycopy(text, 0, payload, 2, text.length);
            try {
                sendFrame(0x8, payload);
                socket.close();
            } catch (IOException e) {
                throw new IllegalStateException("could not close the gateway connection", e);
            }
        }
    }
}
