package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vqclip.discord.BotToken;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.job.Retention;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Server} starts in order and leaves nothing open when a start step fails or when it is shut down. */
class ServerTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** H2 with AUTO_SERVER keeps a lock file next to the database exactly as long as some process has it open. */
    private Path lockFile() {
        return dir.resolve("data").resolve("vqclip.lock.db");
    }

    private ServeConfig config(Optional<DiscordSettings> discord, WebConfig web) {
        String url = StoreFactory.h2FileUrl(dir.resolve("data")) + ";AUTO_SERVER=TRUE";
        return new ServeConfig(DatabaseConfig.of(url), SchedulerConfig.defaults(), Retention.defaults(),
                new EngineConfig(dir.resolve("models"), "cpu", MemoryPlan.DEFAULT), Optional.empty(),
                dir.resolve("results"), Duration.ofMillis(200), BotConfig.of("vqgan_imagenet_f16_16384", List.of(),
                "ViT-B/32", "256x256", 300), discord, Optional.empty(), web, "test");
    }

    private Server serve(ServeConfig config) throws Exception {
        return Server.serve(config, new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC());
    }

    @Test
    void aWebServerThatCannotBindFailsTheStartAndClosesTheDatabase() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServeConfig config = config(Optional.empty(), new WebConfig("127.0.0.1", taken.getLocalPort()));
            assertThatThrownBy(() -> serve(config)).isInstanceOf(Server.StartFailure.class);
        }
        assertThat(lockFile()).as("the database opened in step 1 was closed").doesNotExist();
        assertThat(out.toString()).doesNotContain("serving:");
    }

    @Test
    void aDiscordBotThatCannotStartSaysSoAndClosesTheDatabase() throws Exception {
        assumeTrue(System.getenv(BotToken.ENVIRONMENT_VARIABLE) == null, "DISCORD_TOKEN is set in this environment");
        Path missing = dir.resolve("no-such-token-file");
        ServeConfig config = config(Optional.of(new DiscordSettings(missing, List.of(), List.of(), List.of())),
                new WebConfig("127.0.0.1", 0));
        assertThatThrownBy(() -> serve(config)).isInstanceOf(Server.StartFailure.class)
                .hasMessageStartingWith("the Discord bot could not start: ");
        assertThat(lockFile()).doesNotExist();
    }

    @Test
    void aStartedServerSaysWhatRunsAndClosesEverythingOnceAfterStop() throws Exception {
        Server server = serve(config(Optional.empty(), new WebConfig("127.0.0.1", 0)));
        assertThat(Files.exists(lockFile())).as("the database is open while serving").isTrue();
        assertThat(out.toString()).contains("serving: database h2, no local worker, results in " + dir.resolve("results"))
                .contains("chat adapters: none configured").contains("X: off");
        server.stop();
        server.stop(); // a signal and the shutdown hook both stop the server
        server.awaitStop();
        server.close();
        server.close();
        assertThat(lockFile()).doesNotExist();
    }
}
