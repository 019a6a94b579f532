package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.TestDatabases;
import dev.vqclip.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission on a real H2 store: every refusal says why and leaves the jobs accepted before untouched. */
class JobServiceTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
    final List<JobEvent> events = new ArrayList<>();
    Database db;
    JdbcJobStore store;

    /** 1 cost unit = 100 ms; a 256x256 cutn-32 step costs 2 units, so 500 iterations cost 100 GPU-seconds. */
    JobService service(Limits limits) {
        JobEvents bus = new JobEvents();
        bus.subscribe(events::add);
        Moderation moderation = new Moderation(PromptPolicy.defaults().withBlockedWords(List.of("gore"))
                .withBlockedPatterns(List.of("nsfw\\w*")));
        return new JobService(store, limits, CostModel.defaults(), moderation, bus, clock);
    }

    @BeforeEach
    void open() {
        db = TestDatabases.h2(dir);
        store = new JdbcJobStore(db, clock);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    static Recipe recipe(String text, int iterations) {
        Recipe r = Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt(text))), 7);
        return new Recipe(r.prompts(), r.targetImages(), r.noisePrompts(), r.seed(), r.width(), r.height(), iterations,
                r.cutn(), r.cutPow(), r.cutMethod(), r.lr(), r.optimizer(), r.initImage(), r.initNoise(), r.initWeight(),
                r.vqgan(), r.clip(), r.drawer(), r.saveEvery());
    }

    static JobRequest request(String user, String text, int iterations) {
        return new JobRequest(new UserRef("discord", user, "user " + user), recipe(text, iterations), "reply");
    }

    static String refusal(SubmitResult r) {
        assertThat(r).isInstanceOf(SubmitResult.Refused.class);
        return ((SubmitResult.Refused) r).reason();
    }

    @Test
    void anAcceptedJobIsPersistedWithPositionAndEta() {
        JobService jobs = service(Limits.defaults());
        SubmitResult.Accepted first = (SubmitResult.Accepted) jobs.submit(request("1", "a lighthouse", 500));
        SubmitResult.Accepted second = (SubmitResult.Accepted) jobs.submit(request("2", "fog", 500));
        assertThat(store.reads().find(first.job().id())).isPresent();
        assertThat(first.position()).isEqualTo(1);
        assertThat(first.eta()).isEqualTo(Duration.ofSeconds(100));
        assertThat(second.position()).isEqualTo(2);
        assertThat(second.eta()).isEqualTo(Duration.ofSeconds(200));
        assertThat(events).containsExactly(new JobEvent.Queued(first.job().id(), 1, Duration.ofSeconds(100)),
                new JobEvent.Queued(second.job().id(), 2, Duration.ofSeconds(200)));
    }

    @Test
    void moderationRefusesBlockedWordsAndPatternsSayingWhich() {
        JobService jobs = service(Limits.defaults());
        assertThat(refusal(jobs.submit(request("1", "a field of GORE", 10)))).contains("blocked word 'gore'");
        assertThat(refusal(jobs.submit(request("1", "nsfwish art", 10)))).contains("blocked pattern 'nsfw\\w*'");
        assertThat(jobs.submit(request("1", "gorgeous sunset", 10))).isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void theQueuedLimitRefusesTheNextJobAndKeepsTheEarlierOnes() {
        JobService jobs = service(Limits.defaults().withPerUser(1, 2));
        jobs.submit(request("1", "a", 10));
        jobs.submit(request("1", "b", 10));
        assertThat(refusal(jobs.submit(request("1", "c", 10))))
                .isEqualTo("you already have 2 jobs waiting (the limit is 2); wait for one to start or cancel one");
        assertThat(store.reads().queued()).extracting(j -> j.recipe().prompts().at(0).get(0).text()).containsExactly("a", "b");
        assertThat(jobs.submit(request("2", "other user", 10))).isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void theGpuQuotaRefusesWithTheTimeWhenEnoughLeavesTheWindow() {
        // quota 250 s per hour; each 500-iteration job is estimated at 100 s
        JobService jobs = service(Limits.defaults().withPerUser(1, 10).withQuota(Duration.ofSeconds(250), Duration.ofHours(1)));
        jobs.submit(request("1", "a", 500));
        clock.advance(Duration.ofMinutes(10));
        jobs.submit(request("1", "b", 500));
        clock.advance(Duration.ofMinutes(10));
        String why = refusal(jobs.submit(request("1", "c", 500)));
        // 200 used + 100 > 250: the first charge (12:00) leaves the window at 13:00
        assertThat(why).isEqualTo("your GPU quota is used (200 of 250 GPU-seconds per 1 h; this job needs about 100); "
                + "try again at 13:00 UTC");
        assertThat(store.reads().queued()).hasSize(2);
        clock.advance(Duration.ofMinutes(41)); // 13:01
        assertThat(jobs.submit(request("1", "c", 500))).isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void aJobLargerThanTheWholeQuotaIsRefusedWithAdvice() {
        JobService jobs = service(Limits.defaults().withQuota(Duration.ofSeconds(50), Duration.ofHours(1)));
        assertThat(refusal(jobs.submit(request("1", "a", 500))))
                .isEqualTo("this job needs about 100 GPU-seconds, more than your whole quota of 50 per 1 h; "
                        + "ask for fewer iterations or a smaller size");
    }

    @Test
    void theGlobalCapSaysTheQueueIsFullWithAWaitEstimate() {
        JobService jobs = service(Limits.defaults().withQueueCap(3));
        for (int u = 1; u <= 3; u++) {
            jobs.submit(request(Integer.toString(u), "x", 500));
        }
        assertThat(refusal(jobs.submit(request("9", "y", 500))))
                .isEqualTo("the queue is full (3 jobs waiting); try again in ~5 min");
        assertThat(store.reads().queued()).hasSize(3);
    }

    @Test
    void bannedUsersAndAPausedQueueAreRefused() {
        JobService jobs = service(Limits.defaults());
        UserRef troll = new UserRef("discord", "66", "troll");
        jobs.setBanned(troll, true);
        assertThat(refusal(jobs.submit(request("66", "x", 10)))).startsWith("you are not allowed to queue images here");
        jobs.setBanned(troll, false);
        jobs.setPaused(true);
        assertThat(refusal(jobs.submit(request("66", "x", 10)))).isEqualTo("the queue is paused by an operator; try again later");
        jobs.setPaused(false);
        assertThat(jobs.submit(request("66", "x", 10))).isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void operatorsChangeLimitsAndBlockedWordsAtRunTimeForEveryProcess() {
        JobService jobs = service(Limits.defaults().withPerUser(1, 1));
        jobs.submit(request("1", "a", 10));
        assertThat(refusal(jobs.submit(request("1", "b", 10)))).contains("the limit is 1");
        Limits changed = jobs.setLimits(null, 3, Duration.ofMinutes(60));
        assertThat(changed.maxQueued()).isEqualTo(3);
        assertThat(jobs.submit(request("1", "b", 10))).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(jobs.blockWord("Kraken")).isTrue();
        assertThat(jobs.blockWord("kraken")).isFalse();
        // another process (a second service over the same database) applies the same rules
        JobService other = service(Limits.defaults().withPerUser(1, 1));
        assertThat(other.limits().maxQueued()).isEqualTo(3);
        assertThat(other.limits().gpuQuota()).isEqualTo(Duration.ofMinutes(60));
        assertThat(refusal(other.submit(request("2", "a kraken at sea", 10)))).contains("blocked word 'kraken'");
        assertThat(other.unblockWord("KRAKEN")).isTrue();
        assertThat(other.submit(request("2", "a kraken at sea", 10))).isInstanceOf(SubmitResult.Accepted.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs.setLimits(0, null, null))
                .hasMessageContaining("max running jobs per user must be >= 1, got 0");
    }

    @Test
    void adminsBlockingWordsAtTheSameTimeLoseNone() throws Exception {
        JobService jobs = service(Limits.defaults());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
            List<java.util.concurrent.Future<?>> admins = new ArrayList<>();
            for (int a = 0; a < 8; a++) {
                int admin = a;
                admins.add(pool.submit(() -> {
                    start.await();
                    for (int w = 0; w < 5; w++) {
                        assertThat(jobs.blockWord("word" + admin + "x" + w)).isTrue();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : admins) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(RuntimeRules.blockedWords(store.settings())).hasSize(40);
    }

    @Test
    void theServiceRefusesRecipesOutsideItsBoundsWhateverBuiltThem() throws Exception {
        JobService jobs = new JobService(store, Limits.defaults(), CostModel.defaults(), new Moderation(PromptPolicy.defaults()),
                new JobEvents(), clock, new RecipeBounds(768, 1000, 2, 20, 1024));
        assertThat(refusal(jobs.submit(request("1", "fine", 1001)))).isEqualTo("at most 1000 iterations are allowed here, got 1001");
        assertThat(refusal(jobs.submit(new JobRequest(new UserRef("discord", "1", "u"), recipe("fine", 10).withSize(1024, 256),
                "r")))).isEqualTo("images are at most 768 px per side here, got 1024x256");
        assertThat(refusal(jobs.submit(request("1", "a prompt far longer than twenty characters", 10))))
                .isEqualTo("a prompt may have at most 20 characters, got 42");
        Recipe three = Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("a"), new WeightedPrompt("b"),
                new WeightedPrompt("c"))), 7);
        assertThat(refusal(jobs.submit(new JobRequest(new UserRef("discord", "1", "u"), three, "r"))))
                .isEqualTo("at most 2 prompts per phrase, got 3");
        Path big = dir.resolve("big.png");
        java.nio.file.Files.write(big, new byte[4096]);
        Recipe init = recipe("fine", 10);
        init = new Recipe(init.prompts(), init.targetImages(), init.noisePrompts(), 1, 256, 256, 10, init.cutn(),
                init.cutPow(), init.cutMethod(), init.lr(), init.optimizer(), big.toString(), init.initNoise(), 0,
                init.vqgan(), init.clip(), init.drawer(), init.saveEvery());
        assertThat(refusal(jobs.submit(new JobRequest(new UserRef("discord", "1", "u"), init, "r"))))
                .startsWith("an attached image may have at most");
        assertThat(store.reads().queued()).isEmpty();
        assertThat(jobs.submit(request("1", "fine", 1000))).isInstanceOf(SubmitResult.Accepted.class);
    }

    @Test
    void aJobsPositionFromOneCountAgreesWithTheFullQueueView() {
        JobService jobs = service(Limits.defaults().withPerUser(1, 10));
        for (int i = 0; i < 12; i++) {
            jobs.submit(new JobRequest(new UserRef("discord", Integer.toString(i % 4), "u"), recipe("p" + i, 100 + 50 * i), "r",
                    i == 7 ? Lane.CONTEST : Lane.NORMAL, null, null));
        }
        Lease lease = store.queue().claimNext("w", Duration.ofMinutes(1), 1).orElseThrow();
        store.leases().heartbeat(lease, 120, 0.5, Duration.ofMinutes(1));
        List<QueueEntry> view = jobs.queueView();
        assertThat(view.stream().filter(e -> e.position() > 0)).hasSize(11);
        for (QueueEntry e : view) {
            if (e.position() == 0) {
                continue;
            }
            QueuePosition p = jobs.position(e.job().id()).orElseThrow();
            assertThat(p.position()).as("job %d", e.job().id()).isEqualTo(e.position());
            assertThat(Math.abs(p.eta().toMillis() - e.eta().toMillis())).as("eta of job %d", e.job().id()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void theEtaAtSubmitFollowsTheMeasuredSpeedOfTheRunningJobs() {
        JobService jobs = service(Limits.defaults());
        jobs.submit(request("1", "a lighthouse", 500)); // estimated 100 s
        Lease lease = store.queue().claimNext("w", Duration.ofMinutes(1), 1).orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        store.leases().heartbeat(lease, 10, 0.5, Duration.ofMinutes(1)); // 10 of 500 in 20 s: 1000 s, ten times the estimate
        SubmitResult.Accepted next = (SubmitResult.Accepted) jobs.submit(request("2", "fog", 500));
        // (98 s left of the running job + 100 s of its own) at the measured pace of 10
        assertThat(next.eta()).isEqualTo(Duration.ofSeconds(1980));
        assertThat(jobs.queueView().get(1).eta()).isEqualTo(Duration.ofSeconds(1980));
        assertThat(jobs.position(lease.jobId()).orElseThrow().eta()).as("the running job's rest").isEqualTo(Duration.ofSeconds(980));
    }

    @Test
    void onlyTheOwnerOrAModeratorMayCancel() {
        JobService jobs = service(Limits.defaults());
        long id = ((SubmitResult.Accepted) jobs.submit(request("1", "a", 10))).job().id();
        UserRef stranger = new UserRef("discord", "2", "stranger");
        assertThat(jobs.cancel(id, stranger, false)).isEqualTo(CancelResult.NOT_ALLOWED);
        assertThat(jobs.cancel(id, stranger, true)).isEqualTo(CancelResult.CANCELLED);
        assertThat(jobs.cancel(id, stranger, true)).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(jobs.cancel(12345, stranger, true)).isEqualTo(CancelResult.NOT_FOUND);
        assertThat(events).last().isEqualTo(new JobEvent.Cancelled(id, "discord:2"));
    }

    @Test
    void usageReportsRunningQueuedAndChargedTime() {
        JobService jobs = service(Limits.defaults());
        jobs.submit(request("1", "a", 500));
        jobs.submit(request("1", "b", 250));
        UserUsage usage = jobs.usage(new UserRef("discord", "1", "x"));
        assertThat(usage.queued()).isEqualTo(2);
        assertThat(usage.gpuUsed()).isEqualTo(Duration.ofSeconds(150));
        assertThat(usage.refillAt()).isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
    }
}
