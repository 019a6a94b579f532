package dev.vqclip.discord;

/** A card could not be posted or edited; the reason decides what the card does next. */
public final class CardDeliveryException extends RuntimeException {
    public enum Reason {
        /** The message or channel no longer exists (10008, 10003): post a new card. */
        GONE,
        /** The bot may not post there (50001, 50013, detached guild): fall back to the owner's DMs. */
        FORBIDDEN,
        /** Anything else (network, 5xx after JDA's retries): try again later. */
        TRANSIENT
    }

    private final Reason reason;

    public CardDeliveryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
