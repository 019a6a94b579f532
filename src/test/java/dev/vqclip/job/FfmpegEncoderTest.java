package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MP4 encoder against the real ffmpeg (Debian's; scripts/test.sh installs it), skipped with a reason without one. */
class FfmpegEncoderTest {
    private static final Optional<Path> FFMPEG = FfmpegEncoder.onPath(System.getenv("PATH"));

    private static void assumeFfmpeg() {
        assumeTrue(FFMPEG.isPresent(), "no ffmpeg on PATH: the MP4 timelapse tests need Debian's ffmpeg "
                + "(apt-get install ffmpeg; scripts/test.sh installs it when run as root)");
    }

    /** Frames that differ from one to the next, like an optimisation's previews. */
    private static List<BufferedImage> frames(int n, int w, int h) {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) (127 + 120 * Math.sin((x + i * 3) / 9.0) * Math.cos((y - i * 2) / 7.0));
                    img.setRGB(x, y, v << 16 | ((x * 255 / w + i * 5) & 255) << 8 | (y * 255 / h));
                }
            }
            frames.add(img);
        }
        return frames;
    }

    @Test
    void realFfmpegWritesAFaststartH264Mp4WithEveryFrameAndTheFinalHold() throws Exception {
        assumeFfmpeg();
        List<BufferedImage> frames = frames(48, 160, 107); // an odd height: yuv420p needs it padded to 108
        byte[] mp4 = new FfmpegEncoder(FFMPEG.get(), Duration.ofSeconds(60)).encode(frames);

        assertThat(new String(mp4, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        assertThat(TimelapseVideo.sniff(mp4)).isEqualTo(TimelapseVideo.MP4);
        assertThat(topLevelBoxes(mp4)).containsSubsequence("ftyp", "moov", "mdat"); // +faststart: the index first
        byte[] gif = TimelapseEncoder.GIF.encode(frames);
        System.out.printf("48 frames of 160x107: GIF %d bytes, MP4 %d bytes%n", gif.length, mp4.length);

        Path ffprobe = FFMPEG.get().resolveSibling("ffprobe");
        assumeTrue(Files.isExecutable(ffprobe), "no ffprobe next to " + FFMPEG.get() + ": frame count not checked");
        Path file = Files.createTempFile("vqclip-test", ".mp4");
        try {
            Files.write(file, mp4);
            Process p = new ProcessBuilder(ffprobe.toString(), "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,pix_fmt,width,height,nb_read_frames", "-of", "default=nw=1",
                    file.toString()).redirectErrorStream(true).start();
            String probe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(probe).contains("codec_name=h264", "pix_fmt=yuv420p", "width=160", "height=108",
                    "nb_read_frames=" + (47 + FfmpegEncoder.LAST_FRAME_REPEATS));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aTimelapseFinishedThroughFfmpegIsAnMp4VideoOfItsFrames() {
        assumeFfmpeg();
        Timelapse t = new Timelapse(10, 64);
        frames(4, 128, 128).forEach(t::add);
        TimelapseVideo video = t.finish(frames(1, 128, 128).get(0), new FfmpegEncoder(FFMPEG.get(), Duration.ofSeconds(60)))
                .orElseThrow();
        assertThat(video.contentType()).isEqualTo("video/mp4");
        assertThat(video.extension()).isEqualTo("mp4");
        assertThat(video.frames()).isEqualTo(5);
    }

    @Test
    void aRunPastTheTimeoutIsKilledAndSaysSo() {
        assumeFfmpeg();
        FfmpegEncoder hasty = new FfmpegEncoder(FFMPEG.get(), Duration.ofMillis(1));
        assertThatThrownBy(() -> hasty.encode(frames(48, 160, 160))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("did not finish within");
    }

    @Test
    void ffmpegsOwnErrorIsInTheMessage(@TempDir Path dir) throws Exception {
        // stands in for an ffmpeg built without libx264, which cannot be had from Debian
        Path broken = dir.resolve("ffmpeg");
        Files.writeString(broken, "#!/bin/sh\ncat >/dev/null\necho \"Unknown encoder 'libx264'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> new FfmpegEncoder(broken, Duration.ofSeconds(30)).encode(frames(2, 16, 16)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("ffmpeg exited with 1: Unknown encoder 'libx264'");
    }

    @Test
    void withoutFfmpegOnThePathOrWithNoneThereIsNoMp4Encoder(@TempDir Path empty) throws Exception {
        assertThat(FfmpegEncoder.select(null, empty.toString())).isEmpty();
        assertThat(FfmpegEncoder.select("", "")).isEmpty();
        assertThat(FfmpegEncoder.select("none", System.getenv("PATH"))).isEmpty();
        Path found = Files.createDirectories(empty.resolve("bin")).resolve("ffmpeg");
        Files.writeString(found, "#!/bin/sh\n");
        assertThat(FfmpegEncoder.select(null, empty.toString())).isEmpty(); // not executable
        Files.setPosixFilePermissions(found, PosixFilePermissions.fromString("rwx------"));
        assertThat(FfmpegEncoder.select(null, empty + ":" + found.getParent()).orElseThrow().executable()).isEqualTo(found);
    }

    @Test
    void aConfiguredPathThatIsNotAnExecutableIsRefusedByName(@TempDir Path dir) {
        assertThatThrownBy(() -> FfmpegEncoder.select(dir.resolve("nope").toString(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ffmpeg must be an executable file, got '" + dir.resolve("nope") + "'");
    }

    /** The type names of an ISO-BMFF file's top-level boxes, in order. */
    private static List<String> topLevelBoxes(byte[] mp4) {
        List<String> boxes = new ArrayList<>();
        for (long at = 0; at + 8 <= mp4.length; ) {
            int i = (int) at;
            long size = ((mp4[i] & 0xffL) << 24) | ((mp4[i + 1] & 0xff) << 16) | ((mp4[i + 2] & 0xff) << 8) | (mp4[i + 3] & 0xff);
            boxes.add(new String(mp4, i + 4, 4, StandardCharsets.US_ASCII));
            if (size < 8) {
                break; // 64-bit or to-end sizes do not occur in files this small
            }
            at += size;
        }
        return boxes;
    }
}
