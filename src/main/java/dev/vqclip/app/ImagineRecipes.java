package dev.vqclip.app;

import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.prompt.NoisePrompt;
import dev.vqclip.prompt.ParseResult;
import dev.vqclip.prompt.PromptError;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptSet;
import dev.vqclip.prompt.Recipe;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Turns a Discord /imagine into a {@link Recipe}: the prompt through the {@link PromptParser}, the user's options
 * over {@link BotDefaults}, within the bot's bounds. Every refusal is an {@link IllegalArgumentException} whose
 * message is meant for the user.
 */
final class ImagineRecipes {
    /**
     * Weight of the noise prompt a variation adds: a tenth of a text prompt's default weight, enough for the
     * optimisation to drift from the parent's path, not enough to wash the text out.
     */
    static final double VARIATION_NOISE_WEIGHT = 0.1;

    private final BotDefaults defaults;
    private final PromptParser parser;
    private final UploadFolder uploads;

    /** @param uploads where attached images go; null refuses attachments */
    ImagineRecipes(BotDefaults defaults, PromptParser parser, UploadFolder uploads) {
        this.defaults = defaults;
        this.parser = parser;
        this.uploads = uploads;
    }

    /** Where one request's attachments wait for its admission; null when attachments are refused. */
    UploadFolder.Batch uploads() {
        return uploads == null ? null : uploads.batch();
    }

    /**
     * @param randomSeeds drawn from only when the user gave no seed
     * @param staged      receives the request's attachments (from {@link #uploads()}); kept only if the job is admitted
     */
    Recipe recipe(ImagineRequest request, LongSupplier randomSeeds, UploadFolder.Batch staged) {
        return recipe(request.prompt(), request.options(), randomSeeds, staged);
    }

    /** A prompt without attachments (a mention on X has none: {@link ImagineOptions#NONE}). */
    Recipe recipe(String prompt, ImagineOptions o, LongSupplier randomSeeds) {
        return recipe(prompt, o, randomSeeds, null);
    }

    private Recipe recipe(String prompt, ImagineOptions o, LongSupplier randomSeeds, UploadFolder.Batch staged) {
        if ((o.initImage() != null || o.targetImage() != null) && staged == null) {
            throw new IllegalArgumentException("init and target images are not enabled on this bot; "
                    + "send the prompt without an image");
        }
        String initImage = o.initImage() == null ? null : staged.add(o.initImage());
        // the target image is an image prompt at weight 1, parsed like a CLI --target-image
        String target = o.targetImage() == null ? "" : staged.add(o.targetImage());
        ParseResult<PromptSet> parsed = parser.parse(prompt, target, "", 0);
        if (parsed instanceof PromptError<PromptSet> e) {
            throw new IllegalArgumentException(e.message());
        }
        PromptSet prompts = parsed.orElseThrow();
        int[] size = size(o);
        int iterations = o.iterations() == null ? defaults.iterations() : o.iterations();
        if (iterations > maxIterations()) {
            throw new IllegalArgumentException("at most " + defaults.maxIterations() + " iterations are allowed here, got "
                    + iterations);
        }
        String vqgan = o.model() == null ? defaults.vqgan() : o.model();
        if (!defaults.models().contains(vqgan)) {
            throw new IllegalArgumentException("there is no model '" + vqgan + "' here; pick one of " + defaults.models());
        }
        if (o.drawer() != null && !List.of("vqgan", "pixel").contains(o.drawer())) {
            throw new IllegalArgumentException("the drawer is 'vqgan' or 'pixel', got '" + o.drawer() + "'");
        }
        long seed = o.seed() == null ? randomSeeds.getAsLong() : o.seed();
        return new Recipe(prompts.schedule(), prompts.images(), prompts.noise(), seed, size[0], size[1], iterations,
                defaults.cutn(), defaults.cutPow(), defaults.cutMethod(), 0.1, "adam", initImage, "none", 0, vqgan,
                defaults.clip(), o.drawer(), defaults.previewEvery());
    }

    /** 🔁: the same recipe with a new seed. */
    static Recipe reroll(Recipe parent, long newSeed) {
        return parent.withSeed(newSeed);
    }

    /**
     * 🎲: the parent's recipe and seed (so the same start and the same cutouts) plus a weak noise prompt drawn from
     * {@code noiseSeed} (noise prompts after K. Crowson's notebook), which bends the optimisation a little away from
     * the parent's result. Starting from the parent's image would be closer to a classic variation, but the renderer
     * takes init images as files, and a worker in another process cannot read this one's.
     */
    static Recipe variation(Recipe parent, long noiseSeed) {
        List<NoisePrompt> noise = new ArrayList<>(parent.noisePrompts());
        noise.add(new NoisePrompt(noiseSeed, VARIATION_NOISE_WEIGHT));
        return new Recipe(parent.prompts(), parent.targetImages(), noise, parent.seed(), parent.width(), parent.height(),
                parent.iterations(), parent.cutn(), parent.cutPow(), parent.cutMethod(), parent.lr(), parent.optimizer(),
                parent.initImage(), parent.initNoise(), parent.initWeight(), parent.vqgan(), parent.clip(), parent.drawer(),
                parent.saveEvery());
    }

    /** "WxH" as given, else the aspect ratio fitted to the default pixel count, else the default size. */
    private int[] size(ImagineOptions o) {
        int w;
        int h;
        if (o.size() != null) {
            String[] parts = o.size().split("x");
            w = Integer.parseInt(parts[0]);
            h = Integer.parseInt(parts[1]);
        } else if (o.aspect() != null) {
            String[] parts = o.aspect().split(":");
            double a = Integer.parseInt(parts[0]);
            double b = Integer.parseInt(parts[1]);
            if (a == 0 || b == 0) {
                throw new IllegalArgumentException("an aspect ratio needs two non-zero numbers, got " + o.aspect());
            }
            double area = (double) defaults.width() * defaults.height();
            double wide = Math.min(defaults.maxSide(), Math.sqrt(area * a / b));
            double high = Math.min(defaults.maxSide(), wide * b / a);
            wide = high * a / b; // keep the ratio when the height hit the bound
            w = cells(wide);
            h = cells(high);
        } else {
            w = defaults.width();
            h = defaults.height();
        }
        if (w < BotDefaults.MIN_SIDE || h < BotDefaults.MIN_SIDE || w > defaults.maxSide() || h > defaults.maxSide()) {
            throw new IllegalArgumentException("each side must be " + BotDefaults.MIN_SIDE + ".." + defaults.maxSide()
                    + " pixels here, got " + w + "x" + h);
        }
        return new int[] {w, h};
    }

    /** Rounded to whole 16-pixel latent cells (the renderer floors anything else), at least one. */
    private static int cells(double pixels) {
        return Math.max(BotDefaults.MIN_SIDE, (int) Math.round(pixels / BotDefaults.MIN_SIDE) * BotDefaults.MIN_SIDE);
    }

    int maxIterations() {
        return defaults.maxIterations();
    }
}
