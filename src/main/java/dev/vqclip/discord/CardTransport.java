package dev.vqclip.discord;

import java.util.concurrent.CompletableFuture;

/**
 * Posts, edits and deletes card messages. Implemented over JDA by {@link JdaCardTransport}; the futures fail
 * with {@link CardDeliveryException}. Rate limits (429) are retried inside JDA and never surface here.
 */
public interface CardTransport {
    /** @param ownerId the job's owner, the only user the card may ping */
    CompletableFuture<PostedCard> post(CardTarget target, String ownerId, CardView view);

    /** @param ownerId the job's owner: a card in DMs is in their DM channel, found again through them after a restart */
    CompletableFuture<Void> edit(PostedCard card, String ownerId, CardView view);

    CompletableFuture<Void> delete(PostedCard card, String ownerId);
}
