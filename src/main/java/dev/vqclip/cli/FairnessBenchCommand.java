package dev.vqclip.cli;

import dev.vqclip.app.DatabaseConfig;
import dev.vqclip.app.StoreFactory;
import dev.vqclip.app.Stores;
import dev.vqclip.bench.job.FairnessBench;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vqclip fairness-bench}: the scheduler's fairness under a burst (reference/scheduler.md §8.4). */
@Command(name = "fairness-bench", mixinStandardHelpOptions = true,
        description = {"Submit a burst of jobs from users with skewed volumes through the real queue, claim them with "
                + "simulated workers in simulated time (nothing is rendered: this measures the claim order) and print "
                + "per-user first-job waits and Jain's fairness index, with FIFO as a simulated negative control."})
public final class FairnessBenchCommand implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "100", description = "users; a tenth are heavy (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--jobs", defaultValue = "1000", description = "jobs; heavy users submit 55%% (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--workers", defaultValue = "4", description = "simulated GPU workers (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--max-running", defaultValue = "1",
            description = "K, a user's jobs running at once (default ${DEFAULT-VALUE}, the product's default)")
    int maxRunning;

    @Option(names = "--seed", defaultValue = "1", description = "burst generator seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--db", description = "JDBC URL of a database to run on (e.g. jdbc:postgresql://host/db?user=u); "
            + "default: a new H2 file database in a temporary directory per run")
    String db;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (workers < 1 || maxRunning < 1 || users < 2 || jobs < users) {
            spec.commandLine().getErr().println("vqclip fairness-bench: needs --workers >= 1, --max-running >= 1, "
                    + "--users >= 2 and --jobs >= --users, got " + workers + ", " + maxRunning + ", " + users + ", " + jobs);
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        FairnessBench.Settings settings = new FairnessBench.Settings(users, jobs, workers, seed, maxRunning);
        List<Stores> opened = new ArrayList<>();
        List<Path> tempDirs = new ArrayList<>();
        try {
            FairnessBench.Stores stores = clock -> {
                Stores opening = StoreFactory.openOnLocalTime(
                        DatabaseConfig.of(db != null ? db : StoreFactory.h2FileUrl(newTempDir(tempDirs))), clock);
                opened.add(opening);
                return opening.jobs();
            };
            // a shared database keeps earlier runs' users; fresh user ids keep their fair-queuing tags out of this run
            String tag = db == null ? "r" : "r" + UUID.randomUUID().toString().substring(0, 8);
            FairnessBench.Report report = FairnessBench.run(settings, stores, tag);
            out.printf("fairness bench: %d users (%d heavy), %d jobs, %.1f GPU-h of work, %d simulated workers, K = %d, seed %d, on %s%n",
                    users, report.trace().submissions().stream().filter(s -> s.heavy()).mapToInt(s -> s.user())
                            .distinct().count(), jobs, report.trace().totalWorkMs() / 3_600_000.0, workers, maxRunning,
                    seed, db == null ? "H2 (new file database per run)" : opened.get(0).dialect().toUpperCase(Locale.ROOT) + " " + redact(db));
            out.println("jobs are not rendered: each runs for its drawn duration in simulated time, so this measures "
                    + "the claim order; waits are simulated minutes, 'wall' is real seconds for the run");
            FairnessBench.table(report).forEach(out::println);
            out.println("Jain window: Jain's index of each user's service / max-min fair share, from the last "
                    + "submission over half the remaining drain (1 = fair, 1/n = one user served); worst x_i: the "
                    + "least-served user's service / fair share; max/med: max / median first-job wait");
            if (db != null) {
                out.println("note: on a shared database the cost calibration starts from earlier runs' finished jobs");
            }
            out.flush();
            return 0;
        } finally {
            opened.forEach(Stores::close);
            tempDirs.forEach(FairnessBenchCommand::deleteTree);
        }
    }

    private static Path newTempDir(List<Path> dirs) {
        try {
            Path dir = Files.createTempDirectory("vqclip-fairness");
            dirs.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory for the H2 database", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)password=[^;&]*", "password=***");
    }
}
