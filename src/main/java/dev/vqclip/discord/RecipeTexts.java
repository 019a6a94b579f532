package dev.vqclip.discord;

import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import java.util.Locale;
import java.util.stream.Collectors;

/** A recipe as the card shows it: one line under the final image, and the full text behind the ℹ button. */
public final class RecipeTexts {
    private RecipeTexts() {
    }

    /** {@code a red fox:1.0 · 256x256 · 300 steps · seed 42 · vqgan_imagenet_f16_16384}. */
    public static String oneLine(Recipe r) {
        return PromptFormat.format(r.prompts()) + " · " + r.width() + "x" + r.height() + " · " + r.iterations()
                + " steps · seed " + r.seed() + " · " + Recipe.modelLabel(r.vqgan());
    }

    public static String full(Recipe r) {
        StringBuilder s = new StringBuilder();
        s.append("prompt: ").append(PromptFormat.format(r.prompts())).append('\n');
        // attached images live in the server's upload folder: show what they are, never where
        if (r.initImage() != null) {
            s.append("init image: ").append(fileName(r.initImage())).append('\n');
        }
        if (!r.targetImages().isEmpty()) {
            s.append("image prompts: ").append(r.targetImages().stream()
                    .map(p -> fileName(p.source()) + (p.weight() == 1.0 ? "" : ":" + p.weight()))
                    .collect(Collectors.joining(" | "))).append('\n');
        }
        if (!r.noisePrompts().isEmpty()) {
            s.append("noise prompts: ").append(PromptFormat.formatNoisePrompts(r.noisePrompts())).append('\n');
        }
        s.append("seed: ").append(r.seed()).append('\n');
        s.append("size: ").append(r.width()).append('x').append(r.height()).append('\n');
        s.append("iterations: ").append(r.iterations()).append('\n');
        s.append(String.format(Locale.ROOT, "cutouts: %d (%s, cut_pow %s)%n", r.cutn(), r.cutMethod(), r.cutPow()));
        s.append("optimizer: ").append(r.optimizer()).append(" lr ").append(r.lr()).append('\n');
        s.append("models: ").append(Recipe.modelLabel(r.vqgan())).append(" + ").append(Recipe.modelLabel(r.clip()))
                .append(" (").append(r.drawer()).append(')');
        return s.toString();
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    }
}
