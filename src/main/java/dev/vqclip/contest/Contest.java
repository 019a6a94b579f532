package dev.vqclip.contest;

import java.time.Instant;

/**
 * One contest of one Discord server (ids are the platform's, kept as text).
 *
 * @param entryEnd       entries are taken until this instant; voting then opens
 * @param voteEnd        votes are taken until this instant; the contest then closes
 * @param orderSeed      fixes the ballot's random order, so it is the same after a restart
 * @param announcementId the message that announced the contest, or null before it was posted
 * @param note           what the bot says about an unusual transition (closed late after downtime), or null
 */
public record Contest(long id, String guildId, String channelId, String theme, RenderRules rules,
                      int entriesPerMember, int votesPerMember, Instant entryEnd, Instant voteEnd, Phase phase,
                      String createdBy, Instant createdAt, long orderSeed, String announcementId, String note) {
    public Contest {
        if (id < 1 || guildId == null || channelId == null || rules == null || phase == null || createdBy == null
                || createdAt == null || entryEnd == null || voteEnd == null) {
            throw new IllegalArgumentException("a contest needs an id, server, channel, rules, phase, creator and "
                    + "times, got contest " + id);
        }
        if (!entryEnd.isBefore(voteEnd)) {
            throw new IllegalArgumentException("contest " + id + ": voting must end after entries, got entries until "
                    + entryEnd + " and voting until " + voteEnd);
        }
    }

    /** The deadline of the current phase, or null once it is over. */
    public Instant deadline() {
        return switch (phase) {
            case ENTRIES -> entryEnd;
            case VOTING -> voteEnd;
            default -> null;
        };
    }
}
