package dev.vqclip.bench.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's fairness under a skewed burst, on the real store: SFQ shares the GPUs fairly where FIFO does
 * not, and the measures themselves are right on hand-made cases.
 */
class FairnessBenchTest {
    /** 20 users (2 heavy with 55 jobs each, 18 light with 5 each) on 4 workers. */
    static final int USERS = 20;
    static final int JOBS = 200;
    static final int WORKERS = 4;

    @TempDir
    Path dir;
    final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    FairnessBench.Stores stores(Supplier<Database> databases) {
        return clock -> {
            Database db = databases.get();
            opened.add(db);
            return new JdbcJobStore(db, clock);
        };
    }

    FairnessBench.Stores h2() {
        return stores(() -> TestDatabases.h2(dir.resolve("run" + opened.size())));
    }

    /** K = workers, so no per-user running cap shapes the order: the order alone decides who is served. */
    static FairnessBench.Settings uncapped(long seed) {
        return new FairnessBench.Settings(USERS, JOBS, WORKERS, seed, WORKERS);
    }

    static Map<String, FairnessMetrics> byRow(FairnessBench.Report report) {
        return report.rows().stream().collect(Collectors.toMap(r -> r.admission() + " " + r.policy(), FairnessBench.Row::metrics));
    }

    static void assertSfqFairAndFifoNot(FairnessBench.Report report) {
        Map<String, FairnessMetrics> rows = byRow(report);
        FairnessMetrics sfq = rows.get("Q=200 SFQ (product store)");
        FairnessMetrics fifo = rows.get("Q=200 FIFO (simulated control)");
        assertThat(sfq.admitted()).isEqualTo(JOBS);
        assertThat(sfq.jainWindow()).isGreaterThanOrEqualTo(0.9);
        assertThat(fifo.jainWindow()).isLessThan(0.5);
        // light users are served first under SFQ and last under FIFO
        assertThat(sfq.lightMeanWaitMin()).isLessThan(fifo.lightMeanWaitMin());
        assertThat(sfq.firstWaitMaxMin()).isLessThan(fifo.firstWaitMaxMin());
    }

    @Test
    void sfqSharesABurstFairlyOnH2WhereFifoDoesNot() {
        assertSfqFairAndFifoNot(FairnessBench.run(uncapped(1), h2(), "t"));
    }

    @Test
    void sfqSharesABurstFairlyOnPostgres() {
        assertSfqFairAndFifoNot(FairnessBench.run(uncapped(1),
                stores(() -> Database.open(TestDatabases.freshPostgresSchemaUrl())), "t"));
    }

    @Test
    void theDefaultQueueLimitRefusesMostOfAHeavyUsersBurstAndTheRunIsDeterministic() {
        // 10 users: 1 heavy with 33 jobs within 10 s, 9 light with 3 each; no job ends before 30 s, so during the
        // heavy user's burst at most WORKERS of its jobs leave the queue (Q = 5) by being claimed
        FairnessBench.Settings small = new FairnessBench.Settings(10, 60, WORKERS, 3, WORKERS);
        FairnessBench.Report first = FairnessBench.run(small, h2(), "t");
        FairnessMetrics defaultQ = byRow(first).get("Q=5 (default) SFQ (product store)");
        assertThat(defaultQ.admitted() + defaultQ.refused()).isEqualTo(60);
        assertThat(defaultQ.admitted()).isBetween(9 * 3 + 5, 9 * 3 + 5 + WORKERS);
        assertThat(byRow(first).get("Q=5 (default) FIFO (simulated control)").admitted()).isEqualTo(defaultQ.admitted());
        assertThat(byRow(first).get("Q=60 SFQ (product store)").refused()).isZero();

        FairnessBench.Report again = FairnessBench.run(small, h2(), "u");
        assertThat(byRow(again)).isEqualTo(byRow(first));
    }

    @Test
    void jainIsOneForEqualServiceAndOneOverNWhenOneUserGetsEverything() {
        assertThat(FairnessMetrics.jain(new double[] {3, 3, 3, 3})).isCloseTo(1.0, within(1e-12));
        assertThat(FairnessMetrics.jain(new double[] {7, 0, 0, 0, 0})).isCloseTo(1.0 / 5, within(1e-12));
        // two of four users served equally: (2)² / (4 · 2) = 0.5
        assertThat(FairnessMetrics.jain(new double[] {1, 1, 0, 0})).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void waterFillingGivesSmallDemandsInFullAndSplitsTheRestEvenly() {
        assertThat(FairnessMetrics.waterFill(new double[] {10, 1, 10}, 9)).containsExactly(4, 1, 4);
        assertThat(FairnessMetrics.waterFill(new double[] {2, 3}, 100)).containsExactly(2, 3);
        assertThat(FairnessMetrics.waterFill(new double[] {6, 6, 6}, 9)).containsExactly(3, 3, 3);
    }

    @Test
    void theWindowCountsServiceFromTheLastSubmissionOverHalfTheRemainingDrain() {
        // two users each submit at 0 one job of 100 s; one GPU runs user 0's first, then user 1's.
        // last submission 0, drain 200 s, window [0, 100): user 0 got 100 s, user 1 nothing; fair share 50 s each
        BurstTrace.Submission a = new BurstTrace.Submission(0, 0, false, 0, 100_000, 100_000);
        BurstTrace.Submission b = new BurstTrace.Submission(1, 1, false, 0, 100_000, 100_000);
        List<BurstSimulation.Outcome> jobs = List.of(new BurstSimulation.Outcome(a, 0, 100_000),
                new BurstSimulation.Outcome(b, 100_000, 200_000));
        assertThat(FairnessMetrics.windowShares(jobs, 0, 200_000, 1)).containsExactly(2.0, 0.0);
        FairnessMetrics m = FairnessMetrics.of(new BurstSimulation.Result(jobs, 0), 1);
        assertThat(m.jainWindow()).isCloseTo(0.5, within(1e-12));
        assertThat(m.worstShare()).isZero();
        assertThat(m.firstWaitMaxMin()).isCloseTo(100 / 60.0, within(1e-9));
    }

    @Test
    void theBurstHasTheReferenceShape() {
        BurstTrace trace = BurstTrace.generate(100, 1000, 1);
        Map<Integer, Long> perUser = trace.submissions().stream()
                .collect(Collectors.groupingBy(BurstTrace.Submission::user, Collectors.counting()));
        assertThat(perUser).hasSize(100);
        assertThat(trace.submissions().stream().filter(BurstTrace.Submission::heavy)).hasSize(550)
                .allSatisfy(s -> assertThat(s.atMs()).isLessThan(10_000));
        assertThat(perUser.entrySet().stream().filter(e -> e.getKey() < 10)).allSatisfy(e -> assertThat(e.getValue()).isEqualTo(55));
        assertThat(perUser.entrySet().stream().filter(e -> e.getKey() >= 10)).allSatisfy(e -> assertThat(e.getValue()).isEqualTo(5));
        assertThat(trace.submissions()).allSatisfy(s -> {
            assertThat(s.atMs()).isLessThan(60_000);
            assertThat(s.durationMs()).isIn(30_000L, 90_000L, 180_000L, 600_000L);
            assertThat(Math.abs(s.estimateMs() - s.durationMs())).isLessThanOrEqualTo(Math.round(s.durationMs() * 0.2) + 500);
        });
        // arrival order is FIFO order
        for (int i = 1; i < trace.submissions().size(); i++) {
            assertThat(trace.submissions().get(i).atMs()).isGreaterThanOrEqualTo(trace.submissions().get(i - 1).atMs());
        }
    }
}
