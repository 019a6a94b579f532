package dev.vqclip.discord;

/** A text progress bar that renders the same on every Discord client (no custom emoji). */
final class ProgressBar {
    private ProgressBar() {
    }

    static String render(int step, int total, int cells) {
        if (total < 1 || step < 0 || step > total || cells < 1) {
            throw new IllegalArgumentException("progress " + step + "/" + total + " in " + cells + " cells is invalid");
        }
        int filled = (int) ((long) step * cells / total);
        int percent = (int) ((long) step * 100 / total);
        return "▰".repeat(filled) + "▱".repeat(cells - filled) + " " + percent + " %";
    }
}
