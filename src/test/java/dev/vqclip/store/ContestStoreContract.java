package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.contest.Ballot;
import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestRefusal;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.EntrySource;
import dev.vqclip.contest.NewContest;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.RenderRules;
import dev.vqclip.contest.Results;
import dev.vqclip.contest.SeedRule;
import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.UserRef;
import dev.vqclip.testing.TinyModels;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every contest store must do, run on H2 and PostgreSQL. */
abstract class ContestStoreContract extends StoreContractBase {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    JdbcContestStore store;

    @BeforeEach
    void openContestStore() {
        store = new JdbcContestStore(db);
    }

    Contest newContest(int entriesPerMember) {
        return store.create(new NewContest("10", "20", "foxes", new RenderRules("m", 64, 48, 10, 4, SeedRule.SHARED, 7),
                entriesPerMember, 1, T0.plusSeconds(60), T0.plusSeconds(120), "discord:1"), T0, 99);
    }

    long job(String member) {
        EnqueueOutcome o = jobs.queue().enqueue(new JobRequest(new UserRef("discord", member, member),
                TinyModels.recipe("fox", 4, 2, 1), ""), 1000, "k", 3, (u, q, e) -> Optional.empty());
        return ((EnqueueOutcome.Enqueued) o).job().id();
    }

    Entry enter(Contest c, String member, int second) {
        return store.addEntry(c.id(), "discord:" + member, member, job(member), "a fox", EntrySource.RENDERED,
                T0.plusSeconds(second), c.entriesPerMember()).orElseThrow();
    }

    @Test
    void aContestRoundTripsWithItsRulesAndSchedule() {
        Contest c = newContest(2);
        assertThat(store.contest(c.id())).contains(c);
        assertThat(c.phase()).isEqualTo(Phase.ENTRIES);
        assertThat(c.rules()).isEqualTo(new RenderRules("m", 64, 48, 10, 4, SeedRule.SHARED, 7));
        assertThat(store.open("10")).containsExactly(c);
        assertThat(store.open("11")).isEmpty();
        assertThat(store.reschedule(c.id(), T0.plusSeconds(90), T0.plusSeconds(200))).isTrue();
        assertThat(store.contest(c.id()).orElseThrow().voteEnd()).isEqualTo(T0.plusSeconds(200));
    }

    @Test
    void theEntryLimitCountsEntriesThatAreNotWithdrawnAndAJobEntersOnce() {
        Contest c = newContest(1);
        assertThat(store.addEntry(c.id(), "discord:5", "5", job("5"), "x", EntrySource.RENDERED, T0.plusSeconds(60), 1))
                .as("at the entry end").isEmpty();
        Entry first = enter(c, "5", 1);
        assertThat(store.addEntry(c.id(), "discord:5", "5", job("5"), "x", EntrySource.RENDERED, T0, 1)).isEmpty();
        assertThat(store.addEntry(c.id(), "discord:6", "6", first.jobId(), "x", EntrySource.SUBMITTED, T0, 1))
                .as("the same job twice").isEmpty();
        store.withdraw(first.id());
        assertThat(store.addEntry(c.id(), "discord:5", "5", job("5"), "x", EntrySource.RENDERED, T0, 1)).isPresent();
    }

    @Test
    void votesAreStoredPerVoterMovedTakenBackAndCountedOnceAtTheClose() {
        Contest c = newContest(1);
        Entry a = enter(c, "5", 1);
        Entry b = enter(c, "6", 2);
        assertThatThrownBy(() -> store.vote(c.id(), "discord:7", a.id(), 1, T0)).isInstanceOf(ContestRefusal.class)
                .hasMessageContaining("voting window");
        assertThat(store.openVoting(c.id(), List.of(b.id(), a.id()), null)).isTrue();
        assertThat(store.openVoting(c.id(), List.of(b.id(), a.id()), null)).as("only once").isFalse();
        assertThat(store.byBallotNumber(c.id(), 1).orElseThrow().id()).isEqualTo(b.id());

        assertThatThrownBy(() -> store.vote(c.id(), "discord:7", a.id(), 1, T0.plusSeconds(120)))
                .as("at the voting end").hasMessageContaining("voting window");
        assertThat(store.vote(c.id(), "discord:7", a.id(), 1, T0).kind()).isEqualTo(Ballot.Kind.ADDED);
        assertThat(store.vote(c.id(), "discord:7", b.id(), 1, T0).kind()).isEqualTo(Ballot.Kind.MOVED);
        assertThat(store.vote(c.id(), "discord:8", b.id(), 1, T0).kind()).isEqualTo(Ballot.Kind.ADDED);
        assertThat(store.vote(c.id(), "discord:9", a.id(), 1, T0).kind()).isEqualTo(Ballot.Kind.ADDED);
        assertThat(store.vote(c.id(), "discord:9", a.id(), 1, T0).kind()).isEqualTo(Ballot.Kind.TAKEN_BACK);
        assertThat(store.votesOf(c.id(), "discord:7")).containsExactly(b.id());
        assertThat(store.votes(c.id())).hasSize(2);

        Results results = store.close(c.id(), "closed late").orElseThrow();
        assertThat(results.contest().phase()).isEqualTo(Phase.CLOSED);
        assertThat(store.close(c.id(), null)).isEmpty();
        assertThatThrownBy(() -> store.vote(c.id(), "discord:7", a.id(), 1, T0)).as("after the close")
                .isInstanceOf(ContestRefusal.class);
        Results stored = store.results(c.id()).orElseThrow();
        assertThat(stored.standings()).extracting(s -> s.entry().id()).containsExactly(b.id(), a.id());
        assertThat(stored.standings()).extracting(s -> s.votes()).containsExactly(2, 0);
        assertThat(stored.contest().note()).isEqualTo("closed late");
        assertThat(store.leaderboard("10")).extracting(r -> r.memberId() + ":" + r.wins() + "/" + r.points())
                .containsExactly("6:1/2", "5:0/0");
    }
}
