package dev.vqclip.cli;

import dev.vqclip.app.SafeImageFiles;
import dev.vqclip.app.TimelapseEncoders;
import dev.vqclip.app.WorkerConfig;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.RenderException;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.RenderResult;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.engine.clip.ClipTokenizer;
import dev.vqclip.engine.weights.WeightsException;
import dev.vqclip.engine.weights.catalog.DownloadException;
import dev.vqclip.job.RecipePayloads;
import dev.vqclip.prompt.ParseResult;
import dev.vqclip.prompt.PromptError;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.PromptSet;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.job.Timelapse;
import dev.vqclip.job.TimelapseEncoder;
import dev.vqclip.job.TimelapseVideo;
import java.util.Optional;
import dev.vqclip.prompt.TokenBudget;
import dev.vqclip.provenance.ProvenanceException;
import dev.vqclip.provenance.ProvenancePayload;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Text in, image out: one VQGAN+CLIP optimisation, in this process or through the queue. */
@Command(name = "imagine", mixinStandardHelpOptions = true, description = {
        "Render PROMPT with VQGAN+CLIP and write a PNG that carries its recipe.",
        "PROMPT: prompts separated by '|', each 'text[:weight[:stop]]'; '^' separates phrases of a schedule (see --change-every)."})
final class ImagineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engine;

    @Parameters(index = "0", paramLabel = "PROMPT")
    String prompt;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "256x256",
            description = "output size, floored to the VQGAN's factor (16 for f16 models); default ${DEFAULT-VALUE}")
    String size;

    @Option(names = {"-i", "--iterations"}, defaultValue = "500", description = "optimizer steps (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--cutn", defaultValue = "32", description = "cutouts per step (default ${DEFAULT-VALUE})")
    int cutn;

    @Option(names = "--cut-pow", defaultValue = "1.0", description = "cutout size power, 'original' method (default ${DEFAULT-VALUE})")
    double cutPow;

    @Option(names = "--cut-method", defaultValue = "latest", paramLabel = "original|latest",
            description = "random crops + Lanczos/bicubic (original) or pooled views + augmentations (latest); default ${DEFAULT-VALUE}")
    String cutMethod;

    @Option(names = "--lr", defaultValue = "0.1", description = "learning rate (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "adam|adamw", description = "default ${DEFAULT-VALUE}")
    String optimizer;

    @Option(names = "--seed", description = "random seed (default: a fresh one, printed and recorded in the image)")
    Long seed;

    @Option(names = "--init-image", paramLabel = "FILE", description = "start from this image (encoded by the VQGAN)")
    Path initImage;

    @Option(names = "--init-noise", defaultValue = "none", paramLabel = "none|pixels|gradient",
            description = "start from noise instead of random codes (default ${DEFAULT-VALUE})")
    String initNoise;

    @Option(names = "--init-weight", defaultValue = "0", description = "keep z near zero, decaying over time (0 = off)")
    double initWeight;

    @Option(names = "--target-image", paramLabel = "FILE[:weight[:stop]]", description = "an image prompt (repeatable)")
    List<String> targetImages = new ArrayList<>();

    @Option(names = "--noise-prompt", paramLabel = "SEED[:weight]", description = "a noise prompt (repeatable)")
    List<String> noisePrompts = new ArrayList<>();

    @Option(names = "--change-every", defaultValue = "0", description = "with '^' phrases: switch phrase every N iterations")
    int changeEvery;

    @Option(names = "--truncate", description = "cut prompts longer than CLIP's 77 tokens instead of refusing them")
    boolean truncate;

    @Option(names = "--vqgan", paramLabel = "NAME|PATH", defaultValue = "vqgan_imagenet_f16_16384",
            description = "catalog name (see 'vqclip models list') or a .ckpt/.safetensors file; default ${DEFAULT-VALUE}")
    String vqgan;

    @Option(names = "--clip", paramLabel = "NAME|PATH", defaultValue = "ViT-B/32",
            description = "catalog name or a .pt/.safetensors file; default ${DEFAULT-VALUE}")
    String clip;

    @Option(names = "--drawer", defaultValue = "vqgan", paramLabel = "vqgan|pixel", description = "default ${DEFAULT-VALUE}")
    String drawer;

    @Option(names = "--save-every", defaultValue = "0", paramLabel = "N",
            description = "also write OUT-<iteration>.png every N iterations (0 = only the final image)")
    int saveEvery;

    @Option(names = {"-o", "--out"}, defaultValue = "output.png", paramLabel = "FILE.png", description = "default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--video", paramLabel = "FILE.mp4|FILE.gif",
            description = "also write a timelapse of the run (up to 48 small frames): MP4/H.264 through ffmpeg, or an animated GIF")
    Path video;

    @Option(names = "--ffmpeg", paramLabel = "PATH|none", description = TimelapseEncoders.OPTION_HELP)
    String ffmpeg;

    @Option(names = "--via-queue", description = "submit to the persistent queue (the one 'vqclip serve' works on) and wait "
            + "for the result; without a live worker, this process renders the queue itself")
    boolean viaQueue;

    @Option(names = "--detach", description = "with --via-queue: print 'job <id>' once the job is queued and exit "
            + "(fetch it with 'vqclip result ID'); never renders here")
    boolean detach;

    @Option(names = "--db", paramLabel = "JDBC_URL", defaultValue = "${env:VQCLIP_DB:-}",
            description = "with --via-queue: the queue's database (default: the H2 file database data/vqclip)")
    String db;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (detach && !viaQueue) {
            err.println("imagine: --detach needs --via-queue (a local render has no queue job to come back to)");
            return 2;
        }
        int[] wh;
        TimelapseEncoder videoEncoder;
        try {
            wh = parseSize(size);
            videoEncoder = video == null ? null : videoEncoder(video, ffmpeg, System.getenv("PATH"), err);
        } catch (IllegalArgumentException e) {
            err.println("imagine: " + e.getMessage());
            return 2;
        }
        try (ModelRepository models = engine.repository(err);
             // A local render is this process's one job (--via-queue may render others through the same renderer).
             EngineRenderer renderer = new EngineRenderer(models, new EngineRenderer.Options(null, Clock.systemUTC(), Main.version(), engine.memoryPlan(),
                     new SafeImageFiles(), !viaQueue))) {
            ModelRepository.LoadedClip loadedClip = models.clip(clip);
            int context = loadedClip.model().config().contextLength();
            boolean cut = truncate;
            if (context < ClipTokenizer.CLIP_CONTEXT_LENGTH && !truncate) {
                // Test-size CLIPs (e.g. the 16-token tiny fixture) cannot hold ordinary prompts: truncate, and say so.
                err.printf(Locale.ROOT, "note: this CLIP reads only %d tokens; longer prompts are truncated%n", context - 2);
                cut = true;
            }
            PromptParser parser = new PromptParser(PromptPolicy.defaults(),
                    new TokenBudget(loadedClip.tokenizer()::countTokens, context - 2, cut));
            ParseResult<PromptSet> parsed = parser.parse(prompt, String.join("|", targetImages), String.join("|", noisePrompts),
                    changeEvery);
            if (parsed instanceof PromptError<PromptSet> e) {
                err.println("imagine: " + e.message());
                return 2;
            }
            PromptSet set = parsed.orElseThrow();
            // Images are checked here, before a job is queued or a model step runs: a bad one fails in seconds.
            SafeImageFiles images = new SafeImageFiles();
            if (initImage != null) {
                images.read(initImage.toString(), "init image");
            }
            set.images().forEach(p -> images.read(p.source(), "target image"));
            long usedSeed = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
            Recipe recipe = new Recipe(set.schedule(), set.images(), set.noise(), usedSeed, wh[0], wh[1], iterations, cutn, cutPow,
                    cutMethod, lr, optimizer, initImage == null ? null : initImage.toString(), initNoise, initWeight, vqgan, clip,
                    drawer, saveEvery > 0 || video == null ? saveEvery : Math.max(1, iterations / VIDEO_FRAMES));
            Recipe effective = renderer.effectiveRecipe(recipe);
            if (effective.width() != recipe.width() || effective.height() != recipe.height()) {
                err.printf(Locale.ROOT, "note: size %dx%d floored to %dx%d (the VQGAN works in whole latent cells)%n",
                        recipe.width(), recipe.height(), effective.width(), effective.height());
            }
            err.println("seed " + usedSeed);
            if (viaQueue) {
                return new QueuedImagine(db, out, err, stdout).withVideo(video, videoEncoder).detached(detach).run(effective, renderer);
            }
            Listener listener = new Listener(err);
            RenderResult result = renderer.render(effective, listener, new CancellationToken());
            if (video != null) {
                try {
                    writeVideo(listener.timelapse.finish(result.image(), videoEncoder), video, stdout, err);
                } catch (UncheckedIOException e) {
                    err.println("imagine: no timelapse: " + e.getMessage()); // the image is still written
                }
            }
            ProvenancePayload payload = RecipePayloads.of(result.recipe(), result.iterations(), result.modelHashes(), null,
                    "vqclip " + Main.version());
            // Local renders have no queue job: the robust watermark carries id 0.
            Files.write(out, new Stamper(Watermark.standard(), "vqclip " + Main.version()).stamp(result.image(), payload, 0L));
            stdout.printf(Locale.ROOT, "wrote %s (%dx%d, %d iterations, loss %.4f, %.1f s)%n", out, result.image().getWidth(),
                    result.image().getHeight(), result.iterations(), result.finalLoss(), result.elapsed().toMillis() / 1000.0);
            return 0;
        } catch (ProvenanceException | IOException e) {
            err.println("imagine: cannot write " + out + ": " + e.getMessage());
            return 1;
        } catch (DownloadException e) {
            err.println("imagine: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | RenderException | WeightsException e) {
            err.println("imagine: " + e.getMessage());
            return 2;
        }
    }

    /** The progress bar, plus numbered previews when --save-every is set. */
    private final class Listener implements RenderListener {
        private final ConsoleProgress progress;
        final Timelapse timelapse = new Timelapse(VIDEO_FRAMES, WorkerConfig.TIMELAPSE_SIDE);

        Listener(PrintWriter err) {
            progress = new ConsoleProgress(err);
        }

        @Override
        public void onStep(StepEvent step) {
            progress.onStep(step);
        }

        @Override
        public void onPreview(int iteration, BufferedImage preview) {
            if (video != null) {
                timelapse.add(preview);
            }
            if (saveEvery > 0) {
                String name = out.getFileName().toString().replaceFirst("\\.png$", "");
                writePng(preview, out.resolveSibling(String.format(Locale.ROOT, "%s-%05d.png", name, iteration)));
            }
        }
    }

    /** Frames of a --video timelapse. */
    static final int VIDEO_FRAMES = 48;

    /**
     * The encoder the --video file's extension asks for: .gif the JDK's GIF writer, .mp4 ffmpeg (refused when there is
     * none, before any model loads).
     */
    static TimelapseEncoder videoEncoder(Path file, String ffmpegOption, String pathVariable, PrintWriter err) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gif")) {
            return TimelapseEncoder.GIF;
        }
        if (!name.endsWith(".mp4")) {
            throw new IllegalArgumentException("--video must name a .mp4 or .gif file, got '" + file + "'");
        }
        return TimelapseEncoders.ffmpeg(ffmpegOption, pathVariable, err).orElseThrow(() -> new IllegalArgumentException(
                "--video " + file + " needs ffmpeg for MP4 (" + ("none".equals(ffmpegOption) ? "--ffmpeg none"
                        : "none on PATH") + "): install ffmpeg, pass --ffmpeg PATH, or write a .gif"));
    }

    /** Writes the timelapse, or says why there is none; a missing video never fails the render. */
    static void writeVideo(Optional<TimelapseVideo> timelapse, Path file, PrintWriter stdout, PrintWriter err) {
        if (timelapse.isEmpty()) {
            err.println("imagine: no timelapse: the run produced no previews");
            return;
        }
        String wanted = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mp4") ? "mp4" : "gif";
        if (!timelapse.get().extension().equals(wanted)) {
            err.println("imagine: no timelapse written: the job's timelapse is " + timelapse.get().contentType()
                    + " but " + file + " asks for ." + wanted);
            return;
        }
        try {
            Files.write(file, timelapse.get().bytes());
            stdout.printf(Locale.ROOT, "wrote %s (timelapse, %d frames, %d bytes)%n", file, timelapse.get().frames(),
                    timelapse.get().bytes().length);
        } catch (IOException e) {
            err.println("imagine: cannot write " + file + ": " + e.getMessage());
        }
    }

    static int[] parseSize(String s) {
        String[] parts = s.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("--size must be WIDTHxHEIGHT, e.g. 256x256, got '" + s + "'");
    }

    static void writePng(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
