package dev.vqclip.app;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.Renderer;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.TimelapseEncoder;
import dev.vqclip.job.Worker;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** Builds workers and their renderers the same way for serve, {@code vqclip worker} and {@code imagine --via-queue}. */
public final class Workers {
    private Workers() {
    }

    /** host-pid-random: unique across the machines that share one database. */
    public static String defaultId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    static EngineRenderer renderer(ModelRepository models, EngineConfig engine, WorkerConfig config, String version,
                                   Clock clock) {
        return new EngineRenderer(models, new EngineRenderer.Options(config.previewEvery(), clock, version, engine.memory(),
                new SafeImageFiles()));
    }

    /**
     * A worker configured by {@code config}, with timelapses unless they are off.
     *
     * @param storePreviews previews also go to the database, for adapters in another process
     * @param log           says which timelapse format is in use and why
     */
    static Worker worker(String id, JobStore store, Showcase showcase, Renderer renderer, JobEvents events, Limits limits,
                         Duration idlePoll, boolean storePreviews, WorkerConfig config, String version, PrintWriter log,
                         Clock clock) {
        String software = software(version);
        Worker worker = new Worker(id, store, CrashHook.wrap(renderer), new Stamper(Watermark.standard(), software), events,
                limits, new Worker.Settings(idlePoll, storePreviews, software, config.batch(), config.spoolDir()), clock);
        return config.timelapseFrames() == 0 ? worker : worker.withTimelapses(showcase, config.timelapseFrames(),
                WorkerConfig.TIMELAPSE_SIDE, TimelapseEncoders.choose(config.ffmpeg(), log));
    }

    /**
     * The worker a submitting process runs when no other worker is alive: default settings, one job at a time, and
     * {@code frames} timelapse frames in {@code encoder}'s format.
     */
    public static Worker fallback(Stores stores, Renderer renderer, JobEvents events, Limits limits, int frames,
                                  TimelapseEncoder encoder, String version, Clock clock) {
        String software = software(version);
        return new Worker(defaultId(), stores.jobs(), renderer, new Stamper(Watermark.standard(), software), events, limits,
                new Worker.Settings(Duration.ofSeconds(1), false, software), clock)
                .withTimelapses(stores.showcase(clock), frames, WorkerConfig.TIMELAPSE_SIDE, encoder);
    }

    private static String software(String version) {
        return "vqclip " + version;
    }
}
