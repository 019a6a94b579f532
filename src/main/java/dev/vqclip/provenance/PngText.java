package dev.vqclip.provenance;

/**
 * One PNG text entry (tEXt, zTXt or iTXt). Keywords are 1-79 printable Latin-1 characters (PNG spec 11.3.4.3).
 */
public record PngText(String keyword, String text) {
    public PngText {
        if (keyword == null || keyword.isEmpty() || keyword.length() > 79) {
            throw new IllegalArgumentException("a PNG text keyword has 1-79 characters, got " + (keyword == null ? "null" : "'" + keyword + "'"));
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c < 0x20 || c > 0xFF || (c > 0x7E && c < 0xA1)) {
                throw new IllegalArgumentException("a PNG text keyword must be printable Latin-1, got '" + keyword + "'");
            }
        }
        if (text == null) {
            throw new IllegalArgumentException("PNG text for '" + keyword + "' must not be null");
        }
    }

    /** Whether tEXt (Latin-1) can hold the text; otherwise it goes into an iTXt chunk (UTF-8). */
    boolean latin1() {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
