package dev.vqclip.job;

import java.awt.image.BufferedImage;
import java.util.List;

/** Turns a timelapse's frames (all the same size, the last one the finished image) into one video file. */
public interface TimelapseEncoder {
    /** The media type of what {@link #encode} returns. */
    String contentType();

    /** @throws java.io.UncheckedIOException when the video cannot be made; the caller may fall back to {@link #GIF} */
    byte[] encode(List<BufferedImage> frames);

    /** The JDK's own GIF writer: always available, so it is the fallback for every other encoder. */
    TimelapseEncoder GIF = new TimelapseEncoder() {
        @Override
        public String contentType() {
            return "image/gif";
        }

        @Override
        public byte[] encode(List<BufferedImage> frames) {
            return Timelapse.gif(frames);
        }

        @Override
        public String toString() {
            return "animated GIF (JDK)";
        }
    };
}
