package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagine --video}: a real tiny-model render also writes its timelapse as an animated GIF. */
class ImagineVideoTest {
    @Test
    void videoHoldsOnePreviewPerStepOfAShortRunPlusTheFinalImage(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o.png");
        Path video = dir.resolve("o.gif");
        ImagineCommandTest.Run r = ImagineCommandTest.imagine(dir, "fog", "--vqgan", ImagineCommandTest.VQGAN, "--clip",
                ImagineCommandTest.CLIP, "--size", "64x48", "--iterations", "4", "--cutn", "4", "--seed", "1",
                "--out", out.toString(), "--video", video.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote " + video + " (timelapse, 5 frames"), r.out());
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith("o-0")),
                "no numbered previews without --save-every");
        try (ImageInputStream in = ImageIO.createImageInputStream(video.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(5, reader.getNumImages(true));
            assertEquals(64, reader.read(4).getWidth());
        }
    }
}
