package dev.vqclip.discord;

/**
 * One /imagine (or mention) as the bot hands it to the job system.
 *
 * @param requestId the interaction's or message's id, so a request the gateway delivers twice (a resumed session
 *                  replays events) queues one job; null when unknown
 */
public record ImagineRequest(Requester requester, String prompt, ImagineOptions options, ReplyAddress reply,
                             String requestId) {
    public ImagineRequest {
        if (requester == null || options == null || reply == null) {
            throw new IllegalArgumentException("an imagine request needs a requester, options and a reply address");
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("the prompt must not be empty");
        }
        Snowflakes.optional("request id", requestId);
    }

    public ImagineRequest(Requester requester, String prompt, ImagineOptions options, ReplyAddress reply) {
        this(requester, prompt, options, reply, null);
    }
}
