package dev.vqclip.discord;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.LeaderRow;
import dev.vqclip.contest.Results;
import dev.vqclip.contest.Standing;
import java.util.List;

/** What contest messages say. Authors and prompts appear only in results; ballots show numbers. */
final class ContestView {
    private ContestView() {
    }

    static String announcement(Contest c) {
        return "🎨 **Contest #" + c.id() + ": " + CardRenderer.escape(c.theme()) + "**\n"
                + "Rules (the same for everyone): " + c.rules().describe() + "\n"
                + "Entries: " + plural(c.entriesPerMember(), "entry", "entries") + " per member, until "
                + ContestTimes.tag(c.entryEnd(), 'f') + " (" + ContestTimes.tag(c.entryEnd(), 'R') + ")\n"
                + "Voting: " + plural(c.votesPerMember(), "vote", "votes") + " per member, until "
                + ContestTimes.tag(c.voteEnd(), 'f') + " (" + ContestTimes.tag(c.voteEnd(), 'R') + ")\n"
                + "Enter with `/contest enter prompt:…` (the bot renders it under the rules), or bring an image you "
                + "made with this bot under these rules with `/contest submit image:…`. Entries stay hidden until "
                + "voting opens.";
    }

    static String votingOpened(Contest c, List<Entry> ballot, List<Entry> leftOut, String note) {
        StringBuilder s = new StringBuilder("🗳 **Voting is open: contest #" + c.id() + ", "
                + CardRenderer.escape(c.theme()) + "**\n");
        if (ballot.isEmpty()) {
            s.append("No entry was rendered in time, so there is nothing to vote for.\n");
        } else {
            s.append(ballot.size()).append(" entries below, in an order drawn for this contest, without authors or "
                    + "prompts. ").append(plural(c.votesPerMember(), "vote", "votes")).append(" per member; click "
                    + "again to take a vote back; no votes for your own entry. Counts stay hidden until the close, ")
                    .append(ContestTimes.tag(c.voteEnd(), 'R')).append(".\n");
        }
        if (!leftOut.isEmpty()) {
            s.append(plural(leftOut.size(), "entry was", "entries were")).append(" left out: their render did not "
                    + "finish in time.\n");
        }
        if (note != null) {
            s.append("ℹ ").append(note).append('\n');
        }
        return s.toString().strip();
    }

    static String ballotEntry(Contest c, Entry e) {
        return "**#" + e.ballotNumber() + "** · contest #" + c.id();
    }

    static String results(Results r, String note) {
        Contest c = r.contest();
        StringBuilder s = new StringBuilder("🏆 **Results of contest #" + c.id() + ": " + CardRenderer.escape(c.theme())
                + "**\n");
        if (r.standings().isEmpty()) {
            s.append("There were no entries.\n");
        }
        for (Standing st : r.standings()) {
            String line = medal(st.rank()) + " **#" + st.entry().ballotNumber() + "** <@" + st.entry().memberId()
                    + "> · " + plural(st.votes(), "vote", "votes") + " · “"
                    + CardRenderer.escape(shorten(st.entry().prompt(), 120)) + "”\n";
            if (s.length() + line.length() > CardView.MAX_CONTENT - 200) {
                s.append("…\n");
                break;
            }
            s.append(line);
        }
        if (note != null) {
            s.append("ℹ ").append(note).append('\n');
        }
        s.append("Ties go to the earlier entry. `/contest leaderboard` has the all-time table.");
        return s.toString();
    }

    static String leaderboard(List<LeaderRow> rows) {
        if (rows.isEmpty()) {
            return "🏅 No contest has closed in this server yet.";
        }
        StringBuilder s = new StringBuilder("🏅 **Leaderboard** (wins · podiums · points = votes received)\n");
        int place = 0;
        for (LeaderRow r : rows) {
            String line = ++place + ". <@" + r.memberId() + "> · " + plural(r.wins(), "win", "wins") + " · "
                    + plural(r.podiums(), "podium", "podiums") + " · " + plural(r.points(), "point", "points") + "\n";
            if (s.length() + line.length() > CardView.MAX_CONTENT) {
                break;
            }
            s.append(line);
        }
        return s.toString().strip();
    }

    static String status(Contest c, int entries) {
        String head = "**Contest #" + c.id() + ": " + CardRenderer.escape(c.theme()) + "** · " + c.rules().describe()
                + "\n";
        return head + switch (c.phase()) {
            case ENTRIES -> "Taking entries (" + entries + " so far) until " + ContestTimes.tag(c.entryEnd(), 'R')
                    + "; voting until " + ContestTimes.tag(c.voteEnd(), 'R') + ".";
            case VOTING -> "Voting until " + ContestTimes.tag(c.voteEnd(), 'R') + " on " + entries + " entries.";
            case CANCELLED -> "Cancelled.";
            case CLOSED -> "Closed.";
        };
    }

    private static String medal(int rank) {
        return switch (rank) {
            case 1 -> "🥇";
            case 2 -> "🥈";
            case 3 -> "🥉";
            default -> rank + ".";
        };
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
