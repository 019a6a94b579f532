package dev.vqclip.contest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    static Contest contest(long id) {
        return new Contest(id, "1", "2", "foxes", new RenderRules("m", 64, 48, 10, 4, SeedRule.SHARED, 42), 1, 1,
                T0.plusSeconds(3600), T0.plusSeconds(7200), Phase.VOTING, "discord:9", T0, 5, null, null);
    }

    static Entry entry(long id, String member, int madeAtSecond, Integer ballot) {
        return new Entry(id, 1, "discord:" + member, member, 100 + id, "prompt " + id, EntrySource.RENDERED,
                T0.plusSeconds(madeAtSecond), ballot, false);
    }

    @Test
    void mostVotesWinAndATieGoesToTheEarlierEntryEvenWithAHigherId() {
        Entry late = entry(1, "a", 50, 2);
        Entry early = entry(2, "b", 10, 1);
        Entry loser = entry(3, "c", 5, 3);
        List<Vote> votes = List.of(new Vote("discord:x", 1), new Vote("discord:y", 2), new Vote("discord:z", 3),
                new Vote("discord:w", 1), new Vote("discord:v", 2));
        Results r = Results.rank(contest(1), List.of(late, early, loser), votes);
        assertThat(r.standings()).extracting(s -> s.entry().id()).containsExactly(2L, 1L, 3L);
        assertThat(r.standings()).extracting(Standing::rank).containsExactly(1, 2, 3);
        assertThat(r.standings()).extracting(Standing::votes).containsExactly(2, 2, 1);
    }

    @Test
    void entriesLeftOffTheBallotAreNotRankedAndVotesForThemAreNotCounted() {
        Entry on = entry(1, "a", 1, 1);
        Entry off = entry(2, "b", 2, null);
        Results r = Results.rank(contest(1), List.of(on, off), List.of(new Vote("discord:x", 2)));
        assertThat(r.standings()).hasSize(1);
        assertThat(r.standings().get(0).votes()).isZero();
    }

    @Test
    void theLeaderboardCountsWinsAndPodiumsWithVotesAndPointsAsVotesReceived() {
        Results first = Results.rank(contest(1), List.of(entry(1, "a", 1, 1), entry(2, "b", 2, 2),
                entry(3, "c", 3, 3), entry(4, "d", 4, 4)), List.of(new Vote("discord:x", 1), new Vote("discord:y", 1),
                new Vote("discord:z", 2), new Vote("discord:w", 3)));
        Results second = Results.rank(contest(2), List.of(entry(5, "b", 1, 1), entry(6, "a", 2, 2)),
                List.of(new Vote("discord:x", 5)));
        List<LeaderRow> rows = Leaderboard.of(List.of(first, second));
        assertThat(rows).extracting(LeaderRow::memberId).containsExactly("b", "a", "c", "d");
        assertThat(rows.get(0)).as("a win and two podiums").isEqualTo(new LeaderRow("discord:b", "b", 1, 2, 2));
        assertThat(rows.get(1)).as("second place without votes is no podium")
                .isEqualTo(new LeaderRow("discord:a", "a", 1, 1, 2));
        assertThat(rows.get(2)).isEqualTo(new LeaderRow("discord:c", "c", 0, 1, 1));
        assertThat(rows.get(3)).as("fourth place without votes is no podium").isEqualTo(new LeaderRow("discord:d", "d", 0, 0, 0));
    }
}
