package dev.vqclip.web;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.LeaderRow;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the contest templates show. Like {@link Views}, plain values only: a voting contest's page is built without
 * any author or prompt, so its template cannot show one.
 */
public final class ContestViews {
    private ContestViews() {
    }

    /**
     * A contest's heading and rules.
     *
     * @param deadline ISO-8601 instant the current phase ends (for the live countdown), or null once over
     * @param left     the time left in the current phase as text, or null once over
     */
    public record Summary(long id, String theme, String phase, String status, String rules, int entriesPerMember,
                          int votesPerMember, String entryEnd, String voteEnd, String deadline, String left,
                          String note) {
        static Summary of(Contest c, Instant now) {
            Instant end = c.deadline();
            return new Summary(c.id(), c.theme(), c.phase().name(), ContestViews.status(c.phase()), c.rules().describe(),
                    c.entriesPerMember(), c.votesPerMember(), Views.when(c.entryEnd()), Views.when(c.voteEnd()),
                    end == null ? null : end.toString(),
                    end == null ? null : Views.duration(Duration.between(now, end).isNegative() ? Duration.ZERO
                            : Duration.between(now, end)), c.note());
        }

        public boolean open() {
            return left != null;
        }

        public boolean voting() {
            return Phase.VOTING.name().equals(phase);
        }

        public boolean closed() {
            return Phase.CLOSED.name().equals(phase);
        }
    }

    /** The contests index: open ones (oldest first) and the latest that are over. */
    public record Index(List<Summary> open, List<Summary> past) {
    }

    /** One place of a closed contest, revealed. */
    public record Place(int rank, int number, String author, String prompt, int votes) {
        static Place of(Standing s) {
            Integer n = s.entry().ballotNumber();
            return new Place(s.rank(), n == null ? 0 : n, s.entry().memberName(), s.entry().prompt(), s.votes());
        }
    }

    public record Leader(int place, String name, int wins, int podiums, int points) {
        static Leader of(int place, LeaderRow r) {
            return new Leader(place, r.memberName(), r.wins(), r.podiums(), r.points());
        }
    }

    /**
     * One contest's page: while entries are taken only {@code entries} (a count); while voting the {@code ballot}
     * numbers; once closed the {@code results} with authors and prompts, and the server's {@code leaderboard}.
     */
    public record Page(Summary contest, int entries, List<Integer> ballot, List<Place> results,
                       List<Leader> leaderboard) {
        public Place winner() {
            return results.isEmpty() ? null : results.get(0);
        }
    }

    static String status(Phase p) {
        return switch (p) {
            case ENTRIES -> "Taking entries";
            case VOTING -> "Voting";
            case CLOSED -> "Closed";
            case CANCELLED -> "Cancelled";
        };
    }
}
