package dev.vqclip.contest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A closed contest's ranking: most votes first, ties to the earlier entry, every place distinct. */
public record Results(Contest contest, List<Standing> standings) {
    public Results {
        standings = List.copyOf(standings);
    }

    public Optional<Standing> winner() {
        return standings.isEmpty() ? Optional.empty() : Optional.of(standings.get(0));
    }

    /**
     * Counts every stored vote once for the entry it names; votes for entries that are not on the ballot (there are
     * none unless the data was edited by hand) are ignored rather than invented a place.
     */
    public static Map<Long, Integer> tally(List<Entry> ballot, List<Vote> votes) {
        Set<Long> onBallot = ballot.stream().map(Entry::id).collect(Collectors.toSet());
        Map<Long, Integer> counts = new HashMap<>();
        ballot.forEach(e -> counts.put(e.id(), 0));
        for (Vote v : votes) {
            if (onBallot.contains(v.entryId())) {
                counts.merge(v.entryId(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Ranks the entries on the ballot by their tally; ties go to the entry made first (then the lower id). */
    public static Results rank(Contest contest, List<Entry> entries, List<Vote> votes) {
        List<Entry> ballot = entries.stream().filter(e -> e.ballotNumber() != null).toList();
        Map<Long, Integer> counts = tally(ballot, votes);
        List<Entry> order = new ArrayList<>(ballot);
        order.sort(Comparator.<Entry>comparingInt(e -> -counts.get(e.id()))
                .thenComparing(Entry::createdAt).thenComparingLong(Entry::id));
        List<Standing> standings = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            standings.add(new Standing(i + 1, order.get(i), counts.get(order.get(i).id())));
        }
        return new Results(contest, standings);
    }
}
