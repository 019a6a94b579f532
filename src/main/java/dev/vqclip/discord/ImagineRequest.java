package dev.vqclip.discord;

/** One /imagine (or mention) as the bot hands it to the job system. */
public record ImagineRequest(Requester requester, String prompt, ImagineOptions options, ReplyAddress reply) {
    public ImagineRequest {
        if (requester == null || options == null || reply == null) {
            throw new IllegalArgumentException("an imagine request needs a requester, options and a reply address");
        }
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalArgumentException("the prompt must not be empty");
        }
    }
}
