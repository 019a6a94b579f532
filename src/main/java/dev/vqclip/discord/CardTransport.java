package dev.vqclip.discord;

import java.util.concurrent.CompletableFuture;

/**
 * Posts, edits and deletes card messages. Implemented over JDA by {@link JdaCardTransport}; the futures fail
 * with {@link CardDeliveryException}. Rate limits (429) are retried inside JDA and never surface here.
 */
public interface CardTransport {
    CompletableFuture<PostedCard> post(CardTarget target, CardView view);

    CompletableFuture<Void> edit(PostedCard card, CardView view);

    CompletableFuture<Void> delete(PostedCard card);
}
