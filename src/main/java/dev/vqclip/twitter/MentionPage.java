package dev.vqclip.twitter;

import java.util.List;

/**
 * One page of {@code GET /2/users/{id}/mentions}.
 *
 * @param nextToken {@code meta.next_token}: the next (older) page, or null on the last one
 * @param newestId  {@code meta.newest_id}, or null when the page is empty
 */
public record MentionPage(List<XPost> posts, String nextToken, String newestId, int resultCount) {
    public MentionPage {
        posts = List.copyOf(posts);
    }
}
