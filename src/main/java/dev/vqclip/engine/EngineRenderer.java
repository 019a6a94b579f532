package dev.vqclip.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.vqclip.engine.ModelRepository.LoadedClip;
import dev.vqclip.engine.ModelRepository.LoadedVqgan;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.clip.ClipNormalize;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.optimize.AdamSettings;
import dev.vqclip.engine.optimize.CutoutBatch;
import dev.vqclip.engine.optimize.Cutouts;
import dev.vqclip.engine.optimize.Drawer;
import dev.vqclip.engine.optimize.DrawerRequest;
import dev.vqclip.engine.optimize.Drawers;
import dev.vqclip.engine.optimize.InitImages;
import dev.vqclip.engine.optimize.InitWeight;
import dev.vqclip.engine.optimize.LatentOptimizer;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.optimize.PromptPlan;
import dev.vqclip.engine.optimize.SphericalPrompt;
import dev.vqclip.engine.optimize.VqganCodec;
import dev.vqclip.engine.optimize.VqganDrawer;
import dev.vqclip.engine.weights.WeightsException;
import dev.vqclip.prompt.ImagePrompt;
import dev.vqclip.prompt.NoisePrompt;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The production {@link Renderer}: resolves the recipe's models through a {@link ModelRepository} (kept loaded
 * between jobs), encodes the prompts, and runs the {@link LatentOptimizer}. Everything a job allocates lives in a
 * job-scoped manager that is closed when the job ends, so a worker's memory stays flat job after job.
 */
public final class EngineRenderer implements Renderer {

    /**
     * @param previewInterval a preview at least this often (null = only every {@code saveEvery} iterations)
     * @param codeVersion     recorded in every result
     * @param memory          how each step trades compute for peak memory
     * @param images          reads init and target images ({@link ImageFiles#NONE}: recipes with images fail)
     * @param oneJob          the process renders one job (or one batch) and ends: once it is set up, the CLIP text
     *                        tower and the VQGAN encoder, needed only to set jobs up, are freed (a third less weight
     *                        memory during the loop); a later job in the same process fails to set up
     */
    public record Options(Duration previewInterval, Clock clock, String codeVersion, MemoryPlan memory,
                          ImageFiles images, boolean oneJob) {
        public Options {
            clock = clock == null ? Clock.systemUTC() : clock;
            codeVersion = codeVersion == null ? "dev" : codeVersion;
            memory = memory == null ? MemoryPlan.DEFAULT : memory;
            images = images == null ? ImageFiles.NONE : images;
        }

        public Options(Duration previewInterval, Clock clock, String codeVersion, MemoryPlan memory, ImageFiles images) {
            this(previewInterval, clock, codeVersion, memory, images, false);
        }

        public Options(Duration previewInterval, Clock clock, String codeVersion, MemoryPlan memory) {
            this(previewInterval, clock, codeVersion, memory, ImageFiles.NONE, false);
        }

        public Options(Duration previewInterval, Clock clock, String codeVersion) {
            this(previewInterval, clock, codeVersion, MemoryPlan.DEFAULT, ImageFiles.NONE, false);
        }
    }

    private final ModelRepository models;
    private final Options options;
    private final long memoryLimit;

    public EngineRenderer(ModelRepository models, Options options) {
        this.models = models;
        this.options = options;
        this.memoryLimit = RenderMemory.limitFor(models.device());
    }

    /** The size a recipe will actually render at: floored to the VQGAN's factor for the vqgan drawer. */
    public Recipe effectiveRecipe(Recipe recipe) {
        if (!recipe.drawer().equals(VqganDrawer.NAME)) {
            return recipe;
        }
        int f = models.vqgan(recipe.vqgan()).model().factor();
        int w = recipe.width() / f * f;
        int h = recipe.height() / f * f;
        if (w == 0 || h == 0) {
            throw new RenderException("size " + recipe.width() + "x" + recipe.height() + " is smaller than one latent cell of "
                    + f + "x" + f + " pixels for this VQGAN");
        }
        RenderMemory.require(models.vqgan(recipe.vqgan()).model().config(), w, h, memoryLimit);
        return recipe.withSize(w, h);
    }

    /** One job is a batch of one: the same optimizer pass, so it renders exactly as it would alone. */
    @Override
    public RenderResult render(Recipe requested, RenderListener listener, CancellationToken cancel) {
        BatchOutcome out = renderBatch(List.of(new BatchItem(requested, listener, cancel))).get(0);
        if (out instanceof BatchOutcome.Cancelled c) {
            throw new CancelledException(c.iteration());
        }
        if (out instanceof BatchOutcome.Failed f) {
            throw f.error();
        }
        return ((BatchOutcome.Rendered) out).result();
    }

    /**
     * Runs batch-compatible recipes ({@link #batchCompatible}) in one optimizer pass per step
     * ({@link LatentOptimizer}): each job keeps its own seed, prompts, optimizer and iteration count and gets the
     * image it would get alone (up to float rounding of the batched kernels). A job that cannot be prepared, fails
     * or is cancelled ends alone; the others go on.
     *
     * @throws IllegalArgumentException when two recipes are not batch-compatible (the message names the field)
     */
    @Override
    public List<BatchOutcome> renderBatch(List<BatchItem> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        Recipe first = items.get(0).recipe();
        for (int k = 1; k < items.size(); k++) {
            String differs = batchIncompatibility(first, items.get(k).recipe());
            if (differs != null) {
                throw new IllegalArgumentException("recipes 0 and " + k + " cannot share a batch: " + differs);
            }
        }
        gradModeOffOnThisThread();
        BatchOutcome[] outcomes = new BatchOutcome[items.size()];
        List<PreparedJob> prepared = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        try {
            for (int k = 0; k < items.size(); k++) {
                try {
                    prepared.add(prepare(items.get(k).recipe()));
                    at.add(k);
                } catch (IllegalArgumentException e) {
                    outcomes[k] = new BatchOutcome.Failed(new RenderException(e.getMessage(), e));
                } catch (RenderException e) {
                    outcomes[k] = new BatchOutcome.Failed(e);
                }
            }
            if (options.oneJob()) {
                models.releaseSetupWeights();
            }
            if (!prepared.isEmpty()) {
                List<LatentOptimizer.Job> jobs = new ArrayList<>(prepared.size());
                for (int p = 0; p < prepared.size(); p++) {
                    PreparedJob j = prepared.get(p);
                    BatchItem item = items.get(at.get(p));
                    jobs.add(new LatentOptimizer.Job(j.drawer, j.cutouts, j.plan, j.settings, item.listener(), item.cancel()));
                }
                List<LatentOptimizer.Outcome> results;
                try (LatentOptimizer optimizer = new LatentOptimizer(jobs, prepared.get(0).clip.model()::encodeImage,
                        options.clock())) {
                    results = optimizer.run();
                }
                for (int p = 0; p < results.size(); p++) {
                    outcomes[at.get(p)] = outcome(results.get(p), prepared.get(p));
                }
            }
        } finally {
            prepared.forEach(PreparedJob::close);
        }
        return List.of(outcomes);
    }

    private BatchOutcome outcome(LatentOptimizer.Outcome o, PreparedJob j) {
        if (o instanceof LatentOptimizer.Outcome.Finished f) {
            return new BatchOutcome.Rendered(f.result().toRenderResult(j.recipe, j.hashes, options.codeVersion()));
        }
        if (o instanceof LatentOptimizer.Outcome.Cancelled c) {
            return new BatchOutcome.Cancelled(c.iteration());
        }
        return new BatchOutcome.Failed(((LatentOptimizer.Outcome.Failed) o).error());
    }

    /**
     * The scheduler's batch key: jobs with equal keys are {@link #batchCompatible} and run equally long, so a batch
     * of them has no idle slots. Format {@code vqgan|clip|drawer|WxH|cutn|cutMethod|iterations}.
     */
    public static String batchKey(Recipe r) {
        return String.join("|", r.vqgan(), r.clip(), r.drawer(), r.width() + "x" + r.height(), Integer.toString(r.cutn()),
                r.cutMethod(), Integer.toString(r.iterations()));
    }

    /**
     * Whether two recipes can share one optimizer pass: the same VQGAN, CLIP, drawer, requested size, cutn and cut
     * method. Iterations, seed, prompts, learning rate, optimizer, cut_pow, init image/noise/weight and previews may
     * differ (a finished job leaves the batch early).
     */
    public static boolean batchCompatible(Recipe a, Recipe b) {
        return batchIncompatibility(a, b) == null;
    }

    /** The first field that keeps two recipes out of one batch, said with both values; null when compatible. */
    public static String batchIncompatibility(Recipe a, Recipe b) {
        Object[][] fields = {
                {"vqgan", a.vqgan(), b.vqgan()},
                {"clip", a.clip(), b.clip()},
                {"drawer", a.drawer(), b.drawer()},
                {"size", a.width() + "x" + a.height(), b.width() + "x" + b.height()},
                {"cutn", a.cutn(), b.cutn()},
                {"cut method", a.cutMethod(), b.cutMethod()},
        };
        for (Object[] f : fields) {
            if (!f[1].equals(f[2])) {
                return f[0] + " differs ('" + f[1] + "' vs '" + f[2] + "')";
            }
        }
        return null;
    }

    /**
     * libtorch's grad mode is per thread and a new thread starts with it on (djl.md): workers render on their own
     * threads, and the optimizer's update and the prompt embeddings must build no graph.
     */
    private static void gradModeOffOnThisThread() {
        Engine.getEngine("PyTorch"); // JniUtils needs the engine's natives loaded first
        JniUtils.setGradMode(false);
    }

    /**
     * Everything one job allocates before its loop, in a job-scoped manager: the effective recipe, the models'
     * hashes, cutouts, prompts, drawer and loop settings. The random streams are split from the recipe's seed in
     * a fixed order (cutouts, prompts, drawer), so a job draws the same numbers alone or in a batch.
     */
    private PreparedJob prepare(Recipe requested) {
        if (!DrawerRequest.NAMES.contains(requested.drawer())) {
            throw new RenderException("unknown drawer '" + requested.drawer() + "': expected one of " + DrawerRequest.NAMES);
        }
        Recipe recipe;
        LoadedClip clip;
        LoadedVqgan vqgan;
        try {
            recipe = effectiveRecipe(requested);
            clip = models.clip(recipe.clip());
            vqgan = recipe.drawer().equals(VqganDrawer.NAME) ? models.vqgan(recipe.vqgan()) : null;
        } catch (WeightsException e) {
            throw new RenderException("the models could not be loaded: " + e.getMessage(), e);
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        if (vqgan != null) {
            hashes.put(recipe.vqgan(), vqgan.sha256());
        }
        hashes.put(recipe.clip(), clip.sha256());

        SplittableRandom root = new SplittableRandom(recipe.seed());
        NDManager manager = clip.model().manager().newSubManager();
        try {
            Cutouts cutouts = Cutouts.of(recipe.cutMethod(), clip.model().inputResolution(), recipe.cutn(), recipe.cutPow(),
                    root.split());
            DrawerRequest request = new DrawerRequest(recipe.drawer(), recipe.width(), recipe.height(),
                    recipe.initImage() == null ? null : options.images().read(recipe.initImage(), "init image"),
                    recipe.initNoise());
            PromptPlan plan = promptPlan(recipe, clip, manager, root.split());
            Drawer drawer = Drawers.create(request, vqgan == null ? null : new VqganCodec(vqgan.model()), manager, root.split());
            LatentOptimizer.Settings settings = new LatentOptimizer.Settings(recipe.iterations(), recipe.saveEvery(),
                    options.previewInterval(), AdamSettings.named(recipe.optimizer(), recipe.lr()),
                    recipe.initWeight() > 0 ? new InitWeight.DecayingToZero(recipe.initWeight()) : InitWeight.NONE,
                    recipe.seed(), options.memory());
            return new PreparedJob(recipe, hashes, clip, manager, cutouts, plan, drawer, settings);
        } catch (IllegalArgumentException e) {
            manager.close();
            throw new RenderException(e.getMessage(), e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A prepared job; closing it frees its drawer and everything in its manager. */
    private record PreparedJob(Recipe recipe, Map<String, String> hashes, LoadedClip clip, NDManager manager,
                               Cutouts cutouts, PromptPlan plan, Drawer drawer, LatentOptimizer.Settings settings)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                drawer.close();
            } finally {
                manager.close();
            }
        }
    }

    /**
     * Every phrase of the schedule with its text prompts, plus the image and noise prompts, which hold for the whole
     * run (as in nerdyrodent's generate.py, where a phrase change rebuilds only the text prompts).
     */
    private PromptPlan promptPlan(Recipe recipe, LoadedClip clip, NDManager job, SplittableRandom rng) {
        List<SphericalPrompt> constant = new ArrayList<>();
        for (ImagePrompt p : recipe.targetImages()) {
            BufferedImage img = options.images().read(p.source(), "target image");
            constant.add(new SphericalPrompt(imageEmbeddings(img, recipe, clip.model(), job, rng.split()), p.weight(), p.stop(), job));
        }
        for (NoisePrompt p : recipe.noisePrompts()) {
            constant.add(new SphericalPrompt(noiseEmbedding(p, clip.model(), job), p.weight(), Double.NEGATIVE_INFINITY, job));
        }
        List<List<SphericalPrompt>> phrases = new ArrayList<>();
        for (List<WeightedPrompt> phrase : recipe.prompts().phrases()) {
            List<SphericalPrompt> prompts = new ArrayList<>();
            for (WeightedPrompt p : phrase) {
                prompts.add(new SphericalPrompt(textEmbedding(p.text(), clip, job), p.weight(), p.stop(), job));
            }
            prompts.addAll(constant);
            phrases.add(prompts);
        }
        return new PromptPlan(phrases, recipe.prompts().changeEvery());
    }

    private static NDArray textEmbedding(String text, LoadedClip clip, NDManager job) {
        // Length was validated when the prompt was parsed (TokenBudget); truncating here only applies when the user asked for it.
        long[][] tokens = clip.tokenizer().tokenize(List.of(text), clip.model().config(), true);
        try (NDScope scope = new NDScope()) {
            NDArray ids = job.create(tokens[0], new Shape(1, tokens[0].length));   // [1, context]
            NDArray embeds = clip.model().encodeText(ids);                         // [1, D]
            NDScope.unregister(embeds);
            return embeds;
        }
    }

    /**
     * A target image as the reference encodes it: resized keeping its aspect ratio to at most the output's area
     * (Lanczos), cut out like the output, CLIP-normalised and encoded: {@code [cutn, D]} targets.
     */
    private static NDArray imageEmbeddings(BufferedImage img, Recipe recipe, ClipModel clip, NDManager job, SplittableRandom rng) {
        double scale = Math.min(1.0, Math.sqrt((double) recipe.width() * recipe.height() / ((double) img.getWidth() * img.getHeight())));
        int w = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * scale));
        Cutouts cutouts = Cutouts.of(recipe.cutMethod(), clip.inputResolution(), recipe.cutn(), recipe.cutPow(), rng);
        try (NDScope scope = new NDScope()) {
            NDArray pixels = job.create(InitImages.lanczosResize(img, w, h), new Shape(1, 3, h, w));  // [1, 3, h, w]
            CutoutBatch batch = cutouts.apply(pixels);
            NDArray cut = batch.pixels().clip(0f, 1f);                                             // [n, 3, R, R]
            NDArray embeds = clip.encodeImage(ClipNormalize.apply(cut));                           // [n, D]
            NDArray expanded = expand(embeds, batch.counts());                                     // [cutn, D]
            NDScope.unregister(expanded);
            return expanded;
        }
    }

    /** Rows repeated by their multiplicity, so a deduplicated batch stands for all its cutouts (null: one each). */
    private static NDArray expand(NDArray rows, int[] counts) {
        if (counts == null) {
            return rows;
        }
        List<Long> index = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            for (int k = 0; k < counts[i]; k++) {
                index.add((long) i);
            }
        }
        if (index.size() == counts.length) {
            return rows;
        }
        long[] idx = index.stream().mapToLong(Long::longValue).toArray();
        return rows.get(rows.getManager().create(idx));
    }

    /**
     * A noise prompt (K. Crowson's notebook): a fixed N(0,1) embedding drawn from its seed. Drawn with Java's
     * SplittableRandom, so the values differ from torch's generator for the same seed; the distribution is the same.
     */
    private static NDArray noiseEmbedding(NoisePrompt p, ClipModel clip, NDManager job) {
        int d = clip.config().embedDim();
        SplittableRandom r = new SplittableRandom(p.seed());
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) gaussian(r);
        }
        return Ops.constant(job, v, new Shape(1, d));
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public void close() {
        models.close();
    }
}
