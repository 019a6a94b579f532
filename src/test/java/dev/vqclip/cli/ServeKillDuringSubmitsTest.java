package dev.vqclip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import dev.vqclip.testing.TinyModels;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code serve} while other processes are submitting to the same H2 database (AUTO_SERVER, so the
 * submitters are clients of the server inside {@code serve}): every submit that was acknowledged ({@code job N} and
 * exit 0) survives the kills and is rendered and delivered exactly once by the restarted {@code serve}.
 */
class ServeKillDuringSubmitsTest {
    static final int KILLS = 2;
    static final int SUBMITTERS = 2;
    @TempDir
    Path dir;
    Process serving;
    Path serveLog;
    List<String> serveJvm;
    String[] serveArgs;
    final List<String> supervisorRestarts = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyAcknowledgedSubmitSurvivesKillsOfTheServingProcess() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data")) + ";AUTO_SERVER=TRUE";
        Path results = Files.createDirectories(dir.resolve("results"));
        Path log = dir.resolve("serve.log");
        String[] serve = {"serve", "--db", url, "--results-dir", results.toString(), "--models-dir",
                dir.resolve("models").toString(), "--max-queued", "1000", "--lease", "5s", "--heartbeat", "1s",
                "--poll", "200ms", "--web-port", "0"};
        List<String> jvm = ChildJvm.loggingDeliveries(dir);

        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicBoolean submitting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        List<Future<?>> loops = new ArrayList<>();
        List<String> kills = new ArrayList<>();
        serveJvm = jvm;
        serveArgs = serve;
        serving = ChildJvm.start(log, jvm, serve);
        serveLog = log;
        try {
            for (int s = 0; s < SUBMITTERS; s++) {
                int submitter = s;
                loops.add(pool.submit(() -> {
                    for (int i = 0; submitting.get(); i++) {
                        String prompt = "submitter " + submitter + " prompt " + i;
                        submitted.incrementAndGet();
                        inFlight.incrementAndGet();
                        try {
                            submitOnce(prompt, url, i).ifPresent(id -> acknowledged.put(id, prompt));
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int kill = 1; kill <= KILLS; kill++) {
                int before = acknowledged.size();
                awaitTrue(() -> acknowledged.size() >= before + 3 && inFlight.get() > 0, Duration.ofMinutes(4),
                        "three more acknowledged submits with one in flight");
                int flying = inFlight.get();
                serving.destroyForcibly(); // SIGKILL: no shutdown hook runs
                serving.waitFor(30, TimeUnit.SECONDS);
                kills.add(acknowledged.size() + " acknowledged, " + flying + " in flight");
                int atKill = acknowledged.size();
                awaitTrue(() -> acknowledged.size() >= atKill + 2, Duration.ofMinutes(4),
                        "submits acknowledged while serve is down");
                serving = ChildJvm.start(log, jvm, serve);
            }
            int last = acknowledged.size();
            awaitTrue(() -> acknowledged.size() >= last + 2, Duration.ofMinutes(4), "submits after the last restart");
            submitting.set(false);
            for (Future<?> loop : loops) {
                loop.get(5, TimeUnit.MINUTES);
            }
            awaitTrue(() -> pngs(results) >= acknowledged.size(), Duration.ofMinutes(10), "every acknowledged job rendered");
        } finally {
            submitting.set(false);
            pool.shutdownNow();
            serving.destroy(); // SIGTERM: graceful
            serving.waitFor(60, TimeUnit.SECONDS);
        }

        Map<Long, Long> deliveries = ChildJvm.deliveries(log);
        int lost = 0;
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                Optional<Job> job = store.reads().find(ack.getKey());
                if (job.isEmpty()) {
                    lost++;
                    continue;
                }
                assertThat(job.get().state()).as("job %d (%s)", ack.getKey(), job.get().failure()).isEqualTo(JobState.DONE);
                assertThat(job.get().promptText()).contains(ack.getValue());
                assertThat(results.resolve("job-" + ack.getKey() + ".png")).exists();
                assertThat(deliveries.get(ack.getKey())).as("deliveries of job %d", ack.getKey()).isEqualTo(1L);
            }
        }
        long repeated = deliveries.values().stream().filter(n -> n > 1).count();
        System.out.printf("serve kill during submits: %d kill -9s (%s); %d submitted, %d acknowledged, %d done, %d lost, "
                + "%d repeated deliveries; unacknowledged submits: %s; serve exits restarted as a supervisor would: %s%n", KILLS, String.join("; ", kills), submitted.get(), acknowledged.size(),
                deliveries.size(), lost, repeated, refusals, supervisorRestarts);
        assertThat(lost).as("acknowledged jobs lost").isZero();
        assertThat(repeated).as("jobs delivered more than once").isZero();
    }

    /** One {@code imagine --via-queue --detach} process; the job id when it acknowledged the submit. */
    private Optional<Long> submitOnce(String prompt, String url, int seed) throws Exception {
        Path out = Files.createTempFile(dir, "submit", ".log");
        // one user per submit, so the per-user queue limit never refuses one while serve is down
        Process submit = ChildJvm.start(out, List.of("-Duser.name=" + prompt.replace(' ', '_')), "imagine", "--models-dir", dir.resolve("models").toString(), prompt,
                "--vqgan", TinyModels.VQGAN, "--clip", TinyModels.CLIP, "--size", "64x48", "--iterations", "6",
                "--cutn", "4", "--seed", Integer.toString(seed), "--via-queue", "--detach", "--db", url);
        if (!submit.waitFor(2, TimeUnit.MINUTES)) {
            submit.destroyForcibly();
            refusals.add("no answer within 2 min");
            return Optional.empty();
        }
        if (submit.exitValue() != 0) {
            List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank() && !l.contains("NNPACK")).toList();
            refusals.add("exit " + submit.exitValue() + ": " + String.join(" / ", lines.subList(Math.max(0, lines.size() - 4), lines.size())));
            return Optional.empty();
        }
        return Files.readAllLines(out).stream().filter(l -> l.matches("job \\d+")).findFirst()
                .map(l -> Long.parseLong(l.substring(4)));
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (serving != null && !serving.isAlive() && serving.exitValue() != 137) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(serveLog).stream().filter(l -> !l.contains("NNPACK")).toList();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
                // a supervisor (systemd, Docker) restarts a serve that exits; more than two such exits is a failure
                if (supervisorRestarts.size() >= 2) {
                    throw new AssertionError("serve exited " + (supervisorRestarts.size() + 1) + " times (exit "
                            + serving.exitValue() + ") while waiting for " + what + "; its log ends:\n" + tail);
                }
                supervisorRestarts.add("exit " + serving.exitValue() + " after: "
                        + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)));
                try {
                    serving = ChildJvm.start(serveLog, serveJvm, serveArgs);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            assertThat(System.nanoTime()).as("%s within %s; unacknowledged submits so far: %s", what, timeout, refusals)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int pngs(Path results) {
        try (var files = Files.list(results)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".png")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
