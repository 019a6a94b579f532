package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vqclip.app.TimelapseEncoders;
import dev.vqclip.job.FfmpegEncoder;
import dev.vqclip.job.TimelapseEncoder;
import dev.vqclip.job.TimelapseVideo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code imagine --video}: a real tiny-model render also writes its timelapse, as an animated GIF or an MP4. */
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

    @Test
    void anMp4VideoWithoutFfmpegIsRefusedInOneLineBeforeAnyRender(@TempDir Path dir) {
        ImagineCommandTest.Run r = ImagineCommandTest.imagine(dir, "fog", "--vqgan", ImagineCommandTest.VQGAN, "--clip",
                ImagineCommandTest.CLIP, "--size", "64x48", "--iterations", "4", "--cutn", "4", "--seed", "1",
                "--out", dir.resolve("o.png").toString(), "--video", dir.resolve("o.mp4").toString(), "--ffmpeg", "none");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("imagine: --video " + dir.resolve("o.mp4") + " needs ffmpeg for MP4 (--ffmpeg none): "
                + "install ffmpeg, pass --ffmpeg PATH, or write a .gif"), r.err());
        assertFalse(Files.exists(dir.resolve("o.png")), "nothing rendered");
    }

    @Test
    void withoutFfmpegOnThePathAnMp4IsRefusedAndAGifIsStillWritten(@TempDir Path empty) {
        StringWriter log = new StringWriter();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ImagineCommand.videoEncoder(Path.of("run.mp4"), null, empty.toString(), new PrintWriter(log)));
        assertEquals("--video run.mp4 needs ffmpeg for MP4 (none on PATH): install ffmpeg, pass --ffmpeg PATH, "
                + "or write a .gif", e.getMessage());
        assertTrue(log.toString().contains("timelapses: animated GIF (JDK) (no ffmpeg on PATH)"), log.toString());
        assertSame(TimelapseEncoder.GIF, ImagineCommand.videoEncoder(Path.of("run.GIF"), null, empty.toString(),
                new PrintWriter(log)));
        assertSame(TimelapseEncoder.GIF, TimelapseEncoders.ffmpeg(null, empty.toString(), new PrintWriter(log))
                .<TimelapseEncoder>map(f -> f).orElse(TimelapseEncoder.GIF));
        assertEquals("--video must name a .mp4 or .gif file, got 'run.webm'", assertThrows(IllegalArgumentException.class,
                () -> ImagineCommand.videoEncoder(Path.of("run.webm"), null, empty.toString(), new PrintWriter(log)))
                .getMessage());
    }

    @Test
    void withFfmpegTheVideoIsAnMp4OfTheRun(@TempDir Path dir) throws Exception {
        assumeTrue(FfmpegEncoder.select(null, System.getenv("PATH")).isPresent(),
                "no ffmpeg on PATH: imagine --video .mp4 needs Debian's ffmpeg (scripts/test.sh installs it as root)");
        Path video = dir.resolve("o.mp4");
        ImagineCommandTest.Run r = ImagineCommandTest.imagine(dir, "fog", "--vqgan", ImagineCommandTest.VQGAN, "--clip",
                ImagineCommandTest.CLIP, "--size", "64x48", "--iterations", "4", "--cutn", "4", "--seed", "1",
                "--out", dir.resolve("o.png").toString(), "--video", video.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("timelapses: MP4/H.264 via "), r.err());
        assertTrue(r.out().contains("wrote " + video + " (timelapse, 5 frames"), r.out());
        assertEquals("video/mp4", TimelapseVideo.sniff(Files.readAllBytes(video)));
    }

    @Test
    void aFailedMp4EncodeCostsOnlyTheVideo(@TempDir Path dir) throws Exception {
        // an ffmpeg that fails as one built without libx264 would
        Path broken = dir.resolve("ffmpeg");
        Files.writeString(broken, "#!/bin/sh\ncat >/dev/null\necho \"Unknown encoder 'libx264'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        Path out = dir.resolve("o.png");
        ImagineCommandTest.Run r = ImagineCommandTest.imagine(dir, "fog", "--vqgan", ImagineCommandTest.VQGAN, "--clip",
                ImagineCommandTest.CLIP, "--size", "64x48", "--iterations", "4", "--cutn", "4", "--seed", "1",
                "--out", out.toString(), "--video", dir.resolve("o.mp4").toString(), "--ffmpeg", broken.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("imagine: no timelapse: ") && r.err().contains("Unknown encoder 'libx264'"), r.err());
        assertTrue(Files.size(out) > 0);
        assertFalse(Files.exists(dir.resolve("o.mp4")));
    }
}
