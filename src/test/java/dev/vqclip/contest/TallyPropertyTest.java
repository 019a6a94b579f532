package dev.vqclip.contest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the order of clicks (votes, changes, take-backs, refused extra votes), the tally counts each stored vote
 * exactly once, no voter holds more than the allowed votes, and the order of the stored rows does not matter.
 */
class TallyPropertyTest {
    record Click(int voter, int entry) {
    }

    @Provide
    Arbitrary<List<Click>> clicks() {
        return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 5))
                .as(Click::new).list().ofMaxSize(80);
    }

    @Property(tries = 500)
    void everyStoredVoteIsCountedExactlyOnce(@ForAll("clicks") List<Click> clicks,
                                             @ForAll @IntRange(min = 1, max = 3) int allowed, @ForAll long shuffleSeed) {
        List<Entry> ballot = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            ballot.add(ResultsTest.entry(e, "author" + e, e, e));
        }
        Map<String, List<Long>> stored = new LinkedHashMap<>();
        for (Click c : clicks) {
            String voter = "discord:" + c.voter();
            List<Long> current = stored.getOrDefault(voter, List.of());
            try {
                stored.put(voter, Ballot.click(current, c.entry(), allowed).votes());
            } catch (ContestRefusal refused) {
                assertThat(current).hasSize(allowed).doesNotContain((long) c.entry());
            }
        }
        List<Vote> rows = new ArrayList<>();
        stored.forEach((voter, entries) -> entries.forEach(e -> rows.add(new Vote(voter, e))));
        Collections.shuffle(rows, new Random(shuffleSeed));

        Map<Long, Integer> tally = Results.tally(ballot, rows);
        Map<Long, Integer> expected = new HashMap<>();
        ballot.forEach(e -> expected.put(e.id(), 0));
        stored.values().forEach(entries -> entries.forEach(e -> expected.merge(e, 1, Integer::sum)));
        assertThat(tally).isEqualTo(expected);
        assertThat(tally.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(rows.size());
        stored.values().forEach(entries -> {
            assertThat(entries).hasSizeLessThanOrEqualTo(allowed);
            assertThat(entries).doesNotHaveDuplicates();
        });
        Results ranked = Results.rank(ResultsTest.contest(1), ballot, rows);
        assertThat(ranked.standings().stream().mapToInt(Standing::votes).sum()).isEqualTo(rows.size());
    }
}
