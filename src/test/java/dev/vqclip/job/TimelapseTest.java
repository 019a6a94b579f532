package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class TimelapseTest {
    private static BufferedImage frame(int w, int h, int shade) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (shade & 255) << 16 | (x & 255) << 8 | (y & 255));
            }
        }
        return img;
    }

    @Test
    void writesALoopingGifWithEveryFrameScaledDownAndTheFinalImageLast() throws Exception {
        Timelapse t = new Timelapse(10, 64);
        for (int i = 0; i < 4; i++) {
            t.add(frame(256, 128, i * 40));
        }
        TimelapseVideo video = t.finish(frame(256, 128, 250)).orElseThrow();
        assertThat(video.contentType()).isEqualTo("image/gif");
        assertThat(video.frames()).isEqualTo(5);

        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(video.bytes()))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(5);
            BufferedImage first = reader.read(0);
            assertThat(first.getWidth()).isEqualTo(64);
            assertThat(first.getHeight()).isEqualTo(32);
            assertThat(new java.awt.Color(reader.read(4).getRGB(32, 16)).getRed()).isGreaterThan(200); // the final image
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            assertThat(((IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0))
                    .getAttribute("applicationID")).isEqualTo("NETSCAPE");
            IIOMetadataNode lastControl = (IIOMetadataNode) ((IIOMetadataNode) reader.getImageMetadata(4)
                    .getAsTree("javax_imageio_gif_image_1.0")).getElementsByTagName("GraphicControlExtension").item(0);
            assertThat(lastControl.getAttribute("delayTime")).isEqualTo(Integer.toString(Timelapse.LAST_FRAME_CENTISECONDS));
        }
    }

    @Test
    void aLongRunKeepsAtMostMaxFramesSpreadOverTheWholeRun() {
        Timelapse t = new Timelapse(8, 32);
        for (int i = 0; i < 1000; i++) {
            t.add(frame(40, 40, i));
            assertThat(t.frames()).isLessThan(8);
        }
        assertThat(t.frames()).isGreaterThanOrEqualTo(4); // thinned by halves, never emptied
        assertThat(t.finish(frame(40, 40, 0)).orElseThrow().frames()).isBetween(5, 8);
    }

    @Test
    void noPreviewsMeansNoVideoAndBadSizesAreRefused() {
        assertThat(new Timelapse(4, 32).finish(frame(8, 8, 0))).isEmpty();
        assertThatThrownBy(() -> new Timelapse(1, 32)).hasMessageContaining("2..500 frames, got 1");
        assertThatThrownBy(() -> new Timelapse(4, 8)).hasMessageContaining("16..1024 pixels");
    }
}
