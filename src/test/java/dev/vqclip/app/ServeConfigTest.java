package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configuration records refuse bad values when they are read, naming the flag, the rule and the value. */
class ServeConfigTest {
    @Test
    void theDatabaseConfigNamesThePoolRuleAndNeverPrintsThePassword() {
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:h2:mem:x", null, null, 1))
                .hasMessage("--db-pool must be 2..64 connections, got 1");
        assertThatThrownBy(() -> DatabaseConfig.of("postgres://db/vqclip"))
                .hasMessageContaining("--db must be a JDBC URL").hasMessageContaining("'postgres://db/vqclip'");
        assertThat(new DatabaseConfig("jdbc:postgresql://db/vqclip", "bot", "s3cret", 8).toString()).doesNotContain("s3cret");
    }

    @Test
    void theBotSizeMustLookLikeWidthByHeight() {
        assertThatThrownBy(() -> BotConfig.of("v", List.of(), "c", "256", 300))
                .hasMessage("--bot-size must look like 256x256, got '256'");
        BotConfig bot = BotConfig.of("v", List.of("w", "v"), "c", "512x384", 500);
        assertThat(bot.models()).as("the default model first, each once").containsExactly("v", "w");
        assertThat(bot.defaults().maxSide()).as("the bounds admit the default size").isGreaterThanOrEqualTo(512);
        assertThat(bot.defaults().maxIterations()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void workerAndWebSettingsNameTheirFlag() {
        assertThatThrownBy(() -> new WorkerConfig(1, Duration.ofSeconds(5), Path.of("spool"), 1, null))
                .hasMessage("--timelapse-frames must be 0 (off) or 2..500, got 1");
        assertThatThrownBy(() -> new WorkerConfig(17, Duration.ofSeconds(5), Path.of("spool"), 0, null))
                .hasMessage("--batch must be in 1..16, got 17");
        assertThatThrownBy(() -> new WebConfig("127.0.0.1", 70000)).hasMessage("--web-port must be 0 (off) or 1..65535, got 70000");
        assertThat(new WebConfig("127.0.0.1", 0).enabled()).isFalse();
    }

    @Test
    void resultsMustBeKeptAtLeastAsLongAsTheQuotaWindow() {
        SchedulerConfig rules = new SchedulerConfig(Limits.defaults().withQuota(Duration.ofMinutes(30), Duration.ofDays(30)),
                SchedulerConfig.defaults().cost(), SchedulerConfig.defaults().policy());
        Retention shortKeep = new Retention(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(1));
        assertThatThrownBy(() -> new ServeConfig(DatabaseConfig.of("jdbc:h2:mem:x"), rules, shortKeep,
                new EngineConfig(Path.of("models"), "cpu", MemoryPlan.DEFAULT), Optional.empty(), Path.of("results"),
                Duration.ofSeconds(1), BotConfig.of("v", List.of(), "c", "256x256", 300), Optional.empty(), Optional.empty(),
                new WebConfig("127.0.0.1", 0), "test"))
                .hasMessageStartingWith("--keep-results must be at least the quota window");
    }
}
