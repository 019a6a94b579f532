package dev.vqclip.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;

/**
 * H.264 in MP4 through an external {@code ffmpeg} (Debian's, with libx264): the frames go to its stdin as PNGs, no
 * shell is involved, and a run that outlives {@code timeout} is killed. Chosen over a pure-Java encoder because the
 * only one (JCodec) is baseline-only and unmaintained; the GIF writer stays the fallback.
 */
public final class FfmpegEncoder implements TimelapseEncoder {
    /** The GIF's pace: one frame per {@link Timelapse#FRAME_CENTISECONDS}, i.e. 25/3 frames a second. */
    static final String FRAME_RATE = "100/" + Timelapse.FRAME_CENTISECONDS;
    /** The final image is repeated so it holds about as long as the GIF's last frame. */
    public static final int LAST_FRAME_REPEATS = Timelapse.LAST_FRAME_CENTISECONDS / Timelapse.FRAME_CENTISECONDS;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int STDERR_KEPT = 2000;

    private final Path ffmpeg;
    private final Duration timeout;

    public FfmpegEncoder(Path ffmpeg, Duration timeout) {
        if (!Files.isRegularFile(ffmpeg) || !Files.isExecutable(ffmpeg)) {
            throw new IllegalArgumentException("ffmpeg must be an executable file, got '" + ffmpeg + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the ffmpeg timeout must be positive, got " + timeout);
        }
        this.ffmpeg = ffmpeg;
        this.timeout = timeout;
    }

    /**
     * The encoder {@code configured} asks for: null or "" looks for {@code ffmpeg} on {@code pathVariable} (empty when
     * there is none), "none" turns MP4 off, anything else must be the ffmpeg executable.
     */
    public static Optional<FfmpegEncoder> select(String configured, String pathVariable) {
        if (configured != null && configured.equals("none")) {
            return Optional.empty();
        }
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new FfmpegEncoder(Path.of(configured), DEFAULT_TIMEOUT));
        }
        return onPath(pathVariable).map(p -> new FfmpegEncoder(p, DEFAULT_TIMEOUT));
    }

    /** The first executable {@code ffmpeg} in a PATH-style list of directories. */
    static Optional<Path> onPath(String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "ffmpeg");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return ffmpeg;
    }

    @Override
    public String contentType() {
        return TimelapseVideo.MP4;
    }

    @Override
    public byte[] encode(List<BufferedImage> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("an MP4 timelapse needs at least one frame");
        }
        Path out = null;
        Path log = null;
        try {
            out = Files.createTempFile("vqclip-timelapse", ".mp4");
            log = Files.createTempFile("vqclip-ffmpeg", ".log");
            run(frames, out, log);
            byte[] mp4 = Files.readAllBytes(out);
            if (!TimelapseVideo.MP4.equals(TimelapseVideo.sniff(mp4))) {
                throw new IOException("ffmpeg exited 0 but wrote no MP4 (" + mp4.length + " bytes)");
            }
            return mp4;
        } catch (IOException e) {
            throw new UncheckedIOException("the MP4 timelapse could not be made with " + ffmpeg + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(log);
        }
    }

    private void run(List<BufferedImage> frames, Path out, Path log) throws IOException {
        // faststart moves the index to the front in a second pass, which needs a seekable file rather than a pipe
        List<String> command = List.of(ffmpeg.toString(), "-hide_banner", "-nostats", "-loglevel", "error", "-y",
                "-f", "image2pipe", "-framerate", FRAME_RATE, "-c:v", "png", "-i", "pipe:0",
                "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", // yuv420p needs even sides
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", out.toString());
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        AtomicReference<IOException> feedFailure = new AtomicReference<>();
        Thread feeder = new Thread(() -> feed(frames, process.getOutputStream(), feedFailure), "vqclip-ffmpeg-feed");
        feeder.setDaemon(true);
        feeder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("ffmpeg did not finish within " + timeout.toSeconds() + " s and was killed" + tail(log));
            }
            feeder.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while ffmpeg ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg exited with " + process.exitValue() + tail(log));
        }
        if (feedFailure.get() != null) {
            throw new IOException("the frames could not be sent to ffmpeg: " + feedFailure.get().getMessage() + tail(log));
        }
    }

    private static void feed(List<BufferedImage> frames, OutputStream stdin, AtomicReference<IOException> failure) {
        try (stdin) {
            for (int i = 0; i < frames.size(); i++) {
                byte[] png = png(frames.get(i));
                int times = i == frames.size() - 1 ? LAST_FRAME_REPEATS : 1;
                for (int t = 0; t < times; t++) {
                    stdin.write(png);
                }
            }
        } catch (IOException e) {
            failure.set(e);
        }
    }

    private static byte[] png(BufferedImage frame) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(frame, "png", bytes)) {
            throw new IOException("no PNG writer for a frame of type " + frame.getType());
        }
        return bytes.toByteArray();
    }

    /** ffmpeg's own words, for the error message. */
    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (text.length() > STDERR_KEPT) {
                text = "…" + text.substring(text.length() - STDERR_KEPT);
            }
            return text.isEmpty() ? "" : ": " + text;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a leftover temp file is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "MP4/H.264 via " + ffmpeg;
    }
}
