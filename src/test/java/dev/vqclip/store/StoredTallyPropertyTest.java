package dev.vqclip.store;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestRefusal;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.EntrySource;
import dev.vqclip.contest.NewContest;
import dev.vqclip.contest.RenderRules;
import dev.vqclip.contest.Results;
import dev.vqclip.contest.SeedRule;
import dev.vqclip.contest.Standing;
import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.UserRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Votes through the real store (H2): whatever the order of votes, changes and take-backs, the ranking counts every
 * stored vote exactly once, and the stored votes are exactly what the clicks left.
 */
class StoredTallyPropertyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static Database db;
    private static JdbcJobStore jobs;
    private static JdbcContestStore store;

    record Click(int voter, int entry) {
    }

    @BeforeContainer
    static void open() {
        db = Database.open("jdbc:h2:mem:tally-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jobs = new JdbcJobStore(db, Clock.systemUTC());
        store = new JdbcContestStore(db);
    }

    @AfterContainer
    static void close() {
        jobs.close();
        db.close();
    }

    @Provide
    Arbitrary<List<Click>> clicks() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 3))
                .as(Click::new).list().ofMaxSize(40);
    }

    @Property(tries = 40)
    void everyStoredVoteIsCountedExactlyOnce(@ForAll("clicks") List<Click> clicks,
                                             @ForAll @IntRange(min = 1, max = 2) int allowed) {
        Contest c = store.create(new NewContest("10", "20", "t", new RenderRules("m", 64, 48, 10, 4, SeedRule.SHARED, 1),
                1, allowed, T0.plusSeconds(60), T0.plusSeconds(120), "discord:1"), T0, 3);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String member = "author" + i;
            long job = ((EnqueueOutcome.Enqueued) jobs.queue().enqueue(new JobRequest(new UserRef("discord", member, member),
                    TinyModels.recipe("fox", 4, 2, 1), ""), 1000, "k", 3, (u, q, e) -> Optional.empty())).job().id();
            entries.add(store.addEntry(c.id(), "discord:" + member, member, job, "p", EntrySource.RENDERED,
                    T0.plusSeconds(i), 1).orElseThrow());
        }
        store.openVoting(c.id(), entries.stream().map(Entry::id).toList(), null);
        Map<String, List<Long>> model = new HashMap<>();
        for (Click click : clicks) {
            String voter = "discord:v" + click.voter();
            long entry = entries.get(click.entry()).id();
            try {
                model.put(voter, store.vote(c.id(), voter, entry, allowed, T0).votes());
            } catch (ContestRefusal refused) {
                assertThat(model.get(voter)).hasSize(allowed);
            }
        }
        Map<Long, Integer> expected = new HashMap<>();
        model.values().forEach(votes -> votes.forEach(e -> expected.merge(e, 1, Integer::sum)));
        int total = model.values().stream().mapToInt(List::size).sum();

        assertThat(store.votes(c.id())).hasSize(total);
        Results results = Results.rank(store.contest(c.id()).orElseThrow(), store.entries(c.id()), store.votes(c.id()));
        for (Standing s : results.standings()) {
            assertThat(s.votes()).isEqualTo(expected.getOrDefault(s.entry().id(), 0));
        }
        assertThat(results.standings().stream().mapToInt(Standing::votes).sum()).isEqualTo(total);
        model.forEach((voter, votes) -> assertThat(store.votesOf(c.id(), voter)).containsExactlyElementsOf(votes));
    }
}
