package dev.vqclip.prompt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The canonical text form of parsed prompts, for PNG metadata, provenance and "reroll" buttons:
 * {@code text:weight} joined by {@code " | "}, phrases joined by {@code " ^ "}. Parsing the output with
 * {@link PromptParser} gives back equal records.
 *
 * <p>Numbers use Java's shortest round-trip form ({@code 1.0}, {@code -0.5}, {@code 1.0E-5}), which the parser
 * reads back exactly; the decimal point also keeps a weight after a digit from being read as a time ("at 12:30.0").
 * The stop is written when it is not -inf, and also when the text itself ends in something the parser would take
 * for a number ("ratio 1:2" becomes {@code "ratio 1:2:1.0:-inf"}). Texts containing '|' or '^' cannot come from
 * the parser and do not round-trip.
 */
public final class PromptFormat {

    private PromptFormat() {
    }

    /** {@code "a fox:1.0 | blurry:-1.0:-0.9"}. */
    public static String format(List<WeightedPrompt> prompts) {
        return prompts.stream().map(p -> weighted(p.text(), p.weight(), p.stop())).collect(Collectors.joining(" | "));
    }

    /** All phrases of a schedule, joined by {@code " ^ "} (the change-every count is not part of the text). */
    public static String format(PromptSchedule schedule) {
        return schedule.phrases().stream().map(PromptFormat::format).collect(Collectors.joining(" ^ "));
    }

    /** {@code "a.png:1.0 | b.jpg:0.5"}. */
    public static String formatImagePrompts(List<ImagePrompt> prompts) {
        return prompts.stream().map(p -> weighted(p.source(), p.weight(), p.stop())).collect(Collectors.joining(" | "));
    }

    /** {@code "12:0.5 | 7:1.0"}. */
    public static String formatNoisePrompts(List<NoisePrompt> prompts) {
        return prompts.stream().map(p -> p.seed() + ":" + number(p.weight())).collect(Collectors.joining(" | "));
    }

    /** A weight or stop as the parser reads it back exactly; -inf as {@code -inf}. */
    public static String number(double value) {
        if (value == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("only finite numbers and -inf have a prompt form, got " + value);
        }
        return Double.toString(value);
    }

    private static String weighted(String text, double weight, double stop) {
        String shortForm = text + ":" + number(weight);
        if (stop == Double.NEGATIVE_INFINITY) {
            ParseResult<WeightSuffix.Split> back = WeightSuffix.split(shortForm, "prompt");
            if (back.isParsed() && back.orElseThrow().equals(new WeightSuffix.Split(text, weight, stop))) {
                return shortForm;
            }
        }
        return shortForm + ":" + number(stop);
    }
}
