package dev.vqclip.contest;

import java.time.Duration;
import java.time.Instant;

/** An admin's /contest start, validated against the rules every contest keeps. */
public record NewContest(String guildId, String channelId, String theme, RenderRules rules, int entriesPerMember,
                         int votesPerMember, Instant entryEnd, Instant voteEnd, String createdBy) {
    public static final int MAX_THEME = 200;
    public static final int MAX_ENTRIES_PER_MEMBER = 5;
    public static final int MAX_VOTES_PER_MEMBER = 5;
    /** A contest's whole schedule must fit in this, so forgotten contests do not stay open for ever. */
    public static final Duration MAX_LENGTH = Duration.ofDays(60);

    public NewContest {
        if (guildId == null || channelId == null || createdBy == null || rules == null) {
            throw new IllegalArgumentException("a contest needs a server, a channel, its creator and rules");
        }
        theme = theme == null ? "" : theme.strip();
        if (theme.isEmpty() || theme.length() > MAX_THEME) {
            throw new ContestRefusal("theme: give a theme of 1.." + MAX_THEME + " characters, got " + theme.length());
        }
        if (entriesPerMember < 1 || entriesPerMember > MAX_ENTRIES_PER_MEMBER) {
            throw new ContestRefusal("entries per member must be 1.." + MAX_ENTRIES_PER_MEMBER + ", got "
                    + entriesPerMember);
        }
        if (votesPerMember < 1 || votesPerMember > MAX_VOTES_PER_MEMBER) {
            throw new ContestRefusal("votes per member must be 1.." + MAX_VOTES_PER_MEMBER + ", got " + votesPerMember);
        }
        if (entryEnd == null || voteEnd == null || !entryEnd.isBefore(voteEnd)) {
            throw new ContestRefusal("schedule: voting must end after entries close, got entries until " + entryEnd
                    + " and voting until " + voteEnd);
        }
    }

    /** Refuses a schedule that is already over or too long, as seen at {@code now}. */
    void checkSchedule(Instant now) {
        if (!entryEnd.isAfter(now)) {
            throw new ContestRefusal("schedule: the entry window must end in the future, got " + entryEnd);
        }
        if (Duration.between(now, voteEnd).compareTo(MAX_LENGTH) > 0) {
            throw new ContestRefusal("schedule: a contest may last at most " + MAX_LENGTH.toDays() + " days, voting "
                    + "would end " + voteEnd);
        }
    }
}
