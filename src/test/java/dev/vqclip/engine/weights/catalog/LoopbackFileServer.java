package dev.vqclip.engine.weights.catalog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP file server on 127.0.0.1 (random port) for download tests: serves byte arrays by name, honours
 * or ignores {@code Range}, and can break or stall the next response after a given number of body bytes.
 * It records every request with its Range header and the body bytes it sent.
 */
final class LoopbackFileServer implements AutoCloseable {
    record Served(String path, String range, int status, long bodyBytes) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Served> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger breakNextAfter = new AtomicInteger(-1);
    private final AtomicInteger stallNextAfter = new AtomicInteger(-1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean honourRange = true;
    private volatile boolean rangeFromZero;

    LoopbackFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A loopback port nobody listens on: connecting to it is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    URI url(String name) {
        return base().resolve(name);
    }

    void serve(String name, byte[] content) {
        files.put(name, content);
    }

    void honourRange(boolean honour) {
        honourRange = honour;
    }

    /** Answers range requests with 206 but always from byte 0, as a broken server or proxy might. */
    void answerRangesFromZero() {
        rangeFromZero = true;
    }

    /** The next response with a body sends only {@code bytes} of it, then drops the connection. */
    void breakNextResponseAfter(int bytes) {
        breakNextAfter.set(bytes);
    }

    /** The next response with a body sends only {@code bytes} of it, then goes silent until close. */
    void stallNextResponseAfter(int bytes) {
        stallNextAfter.set(bytes);
    }

    List<Served> log() {
        return List.copyOf(log);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        String range = exchange.getRequestHeaders().getFirst("Range");
        byte[] content = files.get(name);
        if (content == null) {
            log.add(new Served(name, range, 404, 0));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        int start = 0;
        int status = 200;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (honourRange && m != null && m.matches()) {
            start = Integer.parseInt(m.group(1));
            if (start >= content.length) {
                log.add(new Served(name, range, 416, 0));
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            status = 206;
            start = rangeFromZero ? 0 : start;
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - start;
        exchange.sendResponseHeaders(status, length);
        int breakAfter = breakNextAfter.getAndSet(-1);
        int stallAfter = stallNextAfter.getAndSet(-1);
        int send = breakAfter >= 0 ? Math.min(breakAfter, length) : stallAfter >= 0 ? Math.min(stallAfter, length)
                : length;
        OutputStream body = exchange.getResponseBody();
        body.write(content, start, send);
        body.flush();
        log.add(new Served(name, range, status, send));
        if (breakAfter >= 0) {
            // an exception out of the handler makes the JDK server close the connection mid-body
            throw new IOException("simulated connection drop after " + send + " bytes");
        }
        if (stallAfter >= 0) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
