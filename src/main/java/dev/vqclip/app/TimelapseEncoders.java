package dev.vqclip.app;

import dev.vqclip.job.FfmpegEncoder;
import dev.vqclip.job.TimelapseEncoder;
import java.io.PrintWriter;
import java.util.Optional;

/** Picks the timelapse encoder from {@code --ffmpeg}: MP4 through ffmpeg when there is one, else the GIF writer. */
public final class TimelapseEncoders {
    public static final String OPTION_HELP = "the ffmpeg executable for MP4/H.264 timelapses; 'none' = animated GIF only "
            + "(default: ffmpeg on PATH if there is one, else GIF)";

    private TimelapseEncoders() {
    }

    /** The ffmpeg encoder, if configured or found; says on {@code log} which timelapse format is in use and why. */
    public static Optional<FfmpegEncoder> ffmpeg(String option, String pathVariable, PrintWriter log) {
        Optional<FfmpegEncoder> ffmpeg = FfmpegEncoder.select(option, pathVariable);
        String why = option == null || option.isBlank() ? (ffmpeg.isPresent() ? "found on PATH" : "no ffmpeg on PATH")
                : ffmpeg.isPresent() ? "--ffmpeg" : "--ffmpeg none";
        log.println("timelapses: " + ffmpeg.<TimelapseEncoder>map(f -> f).orElse(TimelapseEncoder.GIF) + " (" + why + ")");
        log.flush();
        return ffmpeg;
    }

    public static TimelapseEncoder choose(String option, PrintWriter log) {
        return ffmpeg(option, System.getenv("PATH"), log).<TimelapseEncoder>map(f -> f).orElse(TimelapseEncoder.GIF);
    }
}
