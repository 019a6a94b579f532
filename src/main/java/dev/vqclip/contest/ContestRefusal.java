package dev.vqclip.contest;

/**
 * A member's or admin's request that the contest rules refuse. The message is for the user and names the rule; it is
 * an {@link IllegalArgumentException} because it is the caller's mistake, not a failure of the bot.
 */
public final class ContestRefusal extends IllegalArgumentException {
    public ContestRefusal(String reason) {
        super(reason);
    }
}
