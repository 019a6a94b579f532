package dev.vqclip.engine.optimize;

/** A square crop of side {@code size} whose top-left corner is at ({@code x}, {@code y}). */
record Crop(int size, int x, int y) {
    public Crop {
        if (size < 1 || x < 0 || y < 0) {
            throw new IllegalArgumentException("a crop needs size >= 1 and offsets >= 0, got size " + size
                    + " at (" + x + ", " + y + ")");
        }
    }

    void requireInside(int width, int height) {
        if (x + size > width || y + size > height) {
            throw new IllegalArgumentException("crop of size " + size + " at (" + x + ", " + y
                    + ") does not fit a " + width + "x" + height + " image");
        }
    }
}
