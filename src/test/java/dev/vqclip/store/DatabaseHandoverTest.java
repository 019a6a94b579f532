package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which H2 open failures are the AUTO_SERVER hand-over from a dead process (retried) and which are final. */
class DatabaseHandoverTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedConnectionToTheDeadProcesssServerIsAHandover() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        SQLException refused = null;
        try {
            DriverManager.getConnection("jdbc:h2:tcp://localhost:" + deadPort + "/" + dir.resolve("x")).close();
        } catch (SQLException e) {
            refused = e;
        }
        assertThat((Object) refused).as("nothing listens on port %d", deadPort).isNotNull();
        assertThat(Database.h2Handover(new RuntimeException("pool", refused))).isTrue();
        assertThat(Database.h2Handover(new RuntimeException("pool", new SQLException("syntax", "42000", 42000)))).isFalse();
    }

    @Test
    void aDatabaseThatCannotExistFailsAtOnceEvenInAutoServerMode() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open("jdbc:h2:file:" + file.resolve("vqclip") + ";AUTO_SERVER=TRUE"))
                .isInstanceOf(StoreException.class).hasMessageContaining(file.toString());
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to give up").isLessThan(8000);
    }
}
