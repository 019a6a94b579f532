package dev.vqclip.cli;

import dev.vqclip.app.DatabaseConfig;
import dev.vqclip.app.SchedulerConfig;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Limits;
import dev.vqclip.prompt.PromptPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The database and the scheduler's rules: shared by serve, worker, queue and imagine --via-queue. */
final class SchedulerOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|min|h|d)");

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:VQCLIP_DB:-}",
            description = "jdbc:postgresql://... for several workers; default: the H2 file database data/vqclip "
                    + "(env VQCLIP_DB)")
    String db;

    @Option(names = "--db-user", defaultValue = "${env:VQCLIP_DB_USER:-}", description = "database user (env VQCLIP_DB_USER)")
    String dbUser;

    @Option(names = "--db-password-env", paramLabel = "VAR", defaultValue = "VQCLIP_DB_PASSWORD",
            description = "environment variable holding the database password (never a flag); default ${DEFAULT-VALUE}")
    String dbPasswordEnv;

    @Option(names = "--db-pool", defaultValue = "8", paramLabel = "N",
            description = "database connections this process may hold (PostgreSQL: one more listens for changes); "
                    + "default ${DEFAULT-VALUE}")
    int dbPool;

    @Option(names = "--max-running", defaultValue = "1", description = "jobs one user may have running (K); default ${DEFAULT-VALUE}")
    int maxRunning;

    @Option(names = "--max-queued", defaultValue = "5", description = "jobs one user may have waiting (Q); default ${DEFAULT-VALUE}")
    int maxQueued;

    @Option(names = "--gpu-quota", defaultValue = "30m", paramLabel = "DURATION",
            description = "GPU time per user per window, e.g. 30m, 1800s; default ${DEFAULT-VALUE}")
    String gpuQuota;

    @Option(names = "--quota-window", defaultValue = "24h", paramLabel = "DURATION", description = "default ${DEFAULT-VALUE}")
    String quotaWindow;

    @Option(names = "--queue-cap", defaultValue = "500", description = "queued jobs in total before 'queue full'; default ${DEFAULT-VALUE}")
    int queueCap;

    @Option(names = "--lease", defaultValue = "60s", paramLabel = "DURATION",
            description = "a claimed job returns to the queue this long after its worker's last heartbeat; default ${DEFAULT-VALUE}")
    String lease;

    @Option(names = "--heartbeat", defaultValue = "10s", paramLabel = "DURATION", description = "default ${DEFAULT-VALUE}")
    String heartbeat;

    @Option(names = "--blocked-words", split = ",", paramLabel = "WORD", description = "refused words (comma-separated)")
    List<String> blockedWords = new ArrayList<>();

    @Option(names = "--blocked-patterns", split = ",", paramLabel = "REGEX", description = "refused regular expressions")
    List<String> blockedPatterns = new ArrayList<>();

    @Option(names = "--ms-per-unit", defaultValue = "100",
            description = "cost model: GPU milliseconds per 256x256/cutn-32 half step before calibration; default ${DEFAULT-VALUE}")
    double msPerUnit;

    /** Which database, from --db (or VQCLIP_DB), --db-user, the password variable and --db-pool. */
    DatabaseConfig database() {
        return new DatabaseConfig(DatabaseConfig.urlOrDefault(db), dbUser, System.getenv(dbPasswordEnv), dbPool);
    }

    Limits limits() {
        return new Limits(maxRunning, maxQueued, duration("--gpu-quota", gpuQuota), duration("--quota-window", quotaWindow),
                queueCap, duration("--lease", lease), duration("--heartbeat", heartbeat), 3);
    }

    SchedulerConfig config() {
        return new SchedulerConfig(limits(), new CostModel(msPerUnit),
                PromptPolicy.defaults().withBlockedWords(blockedWords).withBlockedPatterns(blockedPatterns));
    }

    /** Parses 250ms, 90s, 30m, 30min, 24h, 7d. */
    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must be a number with ms, s, m, h or d (e.g. 30m), got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
