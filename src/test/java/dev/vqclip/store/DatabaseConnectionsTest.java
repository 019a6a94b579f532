package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A server that stops answering makes statements fail after the configured timeouts instead of hanging. */
class DatabaseConnectionsTest {
    static final Connections SHORT = new Connections(2, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMinutes(10));

    @Test
    void aServerThatNeverAnswersFailsTheOpenWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepted, never answered: a half-open peer
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            accept.setDaemon(true);
            accept.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x?user=u",
                    null, null, SHORT)).isInstanceOf(StoreException.class);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("ms until the open gave up").isLessThan(10_000);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aStatementOnAConnectionWhoseServerFellSilentFailsInsteadOfHanging() throws Exception {
        String url = TestDatabases.freshPostgresSchemaUrl();
        URI uri = URI.create(url.substring("jdbc:".length()));
        try (FreezingProxy proxy = new FreezingProxy(uri.getHost(), uri.getPort())) {
            String viaProxy = url.replace(uri.getHost() + ":" + uri.getPort(), "127.0.0.1:" + proxy.port());
            try (Database db = Database.open(viaProxy, null, null, SHORT); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
                assertThat(store.reads().queued()).isEmpty();
                proxy.freeze();
                long start = System.nanoTime();
                assertThatThrownBy(store.reads()::queued).isInstanceOf(StoreException.class);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(ms).as("ms until the statement failed").isLessThan(15_000);
            }
        }
    }

    /** Forwards TCP to the real server until frozen; then holds every connection open and silent. */
    static final class FreezingProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicBoolean frozen = new AtomicBoolean();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        FreezingProxy(String host, int port) throws IOException {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = server.accept();
                        Socket upstream = new Socket(host, port);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void freeze() {
            frozen.set(true);
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (frozen.get()) {
                            continue; // swallow: the peer hears nothing, and no FIN or RST either
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
