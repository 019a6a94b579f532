package dev.vqclip.contest;

import java.time.Instant;

/**
 * One member's entry: the job that rendered it, and its number on the ballot once voting opened (null before, and
 * for entries left out because their render did not finish in time).
 *
 * @param memberKey the member as the job system knows them ({@code platform:id})
 * @param withdrawn true when its render failed or was cancelled: it no longer counts against the member's limit
 */
public record Entry(long id, long contestId, String memberKey, String memberName, long jobId, String prompt,
                    EntrySource source, Instant createdAt, Integer ballotNumber, boolean withdrawn) {
    public Entry {
        if (id < 1 || contestId < 1 || jobId < 1 || memberKey == null || source == null || createdAt == null) {
            throw new IllegalArgumentException("an entry needs ids, a member, a source and a time, got entry " + id);
        }
        prompt = prompt == null ? "" : prompt;
        memberName = memberName == null ? memberKey : memberName;
    }

    /** The member's id on their platform ({@code discord:123} → {@code 123}). */
    public String memberId() {
        int colon = memberKey.indexOf(':');
        return colon < 0 ? memberKey : memberKey.substring(colon + 1);
    }
}
