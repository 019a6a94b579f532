package dev.vqclip.discord;

import java.util.List;

/**
 * One rendering of a job card: text, optionally a new image (which replaces the card's previous attachment),
 * and buttons. A view without an image leaves the card's current attachment as it is.
 */
public record CardView(String content, String imageName, byte[] image, String jobId, List<CardButton> buttons) {
    /** Discord's message content limit for classic (non components-V2) messages. */
    public static final int MAX_CONTENT = 2000;

    public CardView {
        if (content == null || content.isEmpty() || content.length() > MAX_CONTENT) {
            throw new IllegalArgumentException("card content must have 1.." + MAX_CONTENT + " chars, got "
                    + (content == null ? "null" : content.length()));
        }
        if ((image == null) != (imageName == null)) {
            throw new IllegalArgumentException("a card image needs both a name and bytes");
        }
        if (image != null && image.length > ImageInput.MAX_BYTES) {
            throw new IllegalArgumentException("card image exceeds Discord's " + ImageInput.MAX_BYTES
                    + "-byte limit: " + image.length);
        }
        buttons = List.copyOf(buttons);
    }

    public boolean hasImage() {
        return image != null;
    }
}
