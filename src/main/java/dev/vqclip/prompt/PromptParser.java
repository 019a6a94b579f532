package dev.vqclip.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns user-typed prompt strings into prompt records, or into a {@link PromptError} for the user. Never throws on
 * any input string.
 *
 * <p>Syntax (nerdyrodent's VQGAN-CLIP, with pixray's weight rule, see {@link WeightSuffix}):
 * <ul>
 *   <li>text: phrases separated by {@code ^} (story mode: phrase k is active from iteration k·changeEvery on; with
 *       changeEvery 0 only the first phrase is used, as NR without {@code -cpe}); each phrase is prompts separated
 *       by {@code |}; each prompt is {@code text[:weight[:stop]]}, weight 1 and stop -inf by default; parts are
 *       trimmed. Example: {@code "a fox in the snow | watercolor:0.5 | blurry:-1:-0.9"}.</li>
 *   <li>image prompts: {@code "a.png | b.jpg:0.5"}, the same weight/stop rule, so URLs and {@code C:\x.png} work.</li>
 *   <li>noise prompts: {@code "12:0.5|7"}, i.e. {@code seed[:weight]}.</li>
 * </ul>
 * Checks, in order: length ({@link PromptPolicy#maxChars}), empty parts, numbers, count
 * ({@link PromptPolicy#maxPrompts}, per phrase), moderation (every text prompt, negative ones too, since the text
 * is shown publicly with the image), CLIP token count ({@link TokenBudget}), and that not every weight is zero.
 */
public final class PromptParser {

    private static final Pattern SEED = Pattern.compile("[+-]?\\d+");

    private final PromptPolicy policy;
    private final TokenBudget budget;
    private final Moderation moderation;

    public PromptParser(PromptPolicy policy, TokenBudget budget) {
        if (policy == null || budget == null) {
            throw new IllegalArgumentException("a prompt parser needs a policy and a token budget");
        }
        this.policy = policy;
        this.budget = budget;
        this.moderation = new Moderation(policy);
    }

    /** Default policy, no token check. */
    public static PromptParser lenient() {
        return new PromptParser(PromptPolicy.defaults(), TokenBudget.unchecked());
    }

    public PromptPolicy policy() {
        return policy;
    }

    /** Text prompts only; at least one is required. */
    public ParseResult<PromptSchedule> parseText(String text, int changeEvery) {
        return parse(text, "", "", changeEvery).map(PromptSet::schedule);
    }

    /**
     * All three kinds at once. Text may be empty when there are image or noise prompts (KC's image-only runs); every
     * phrase together with the image and noise prompts must have a non-zero weight.
     */
    public ParseResult<PromptSet> parse(String text, String imagePrompts, String noisePrompts, int changeEvery) {
        if (changeEvery < 0) {
            return error(PromptError.Kind.BAD_SCHEDULE, "change-every must be 0 (never) or a positive number of iterations, got "
                    + changeEvery);
        }
        ParseResult<List<ImagePrompt>> images = parseImagePrompts(imagePrompts);
        if (images instanceof PromptError<List<ImagePrompt>> e) {
            return e.retyped();
        }
        ParseResult<List<NoisePrompt>> noise = parseNoisePrompts(noisePrompts);
        if (noise instanceof PromptError<List<NoisePrompt>> e) {
            return e.retyped();
        }
        List<ImagePrompt> imageList = images.orElseThrow();
        List<NoisePrompt> noiseList = noise.orElseThrow();
        String input = text == null ? "" : text;
        Optional<PromptError<PromptSet>> tooLong = checkLength(input, "the prompt");
        if (tooLong.isPresent()) {
            return tooLong.get();
        }
        List<List<WeightedPrompt>> phrases = new ArrayList<>();
        if (input.isBlank()) {
            if (imageList.isEmpty() && noiseList.isEmpty()) {
                return error(PromptError.Kind.EMPTY, "the prompt is empty: describe the image, e.g. 'a fox in the snow | watercolor:0.5'");
            }
            phrases.add(List.of());
        } else {
            String[] phraseTexts = input.split("\\^", -1);
            for (int k = 0; k < phraseTexts.length; k++) {
                String where = phraseTexts.length == 1 ? "" : " of phrase " + (k + 1);
                if (phraseTexts[k].isBlank()) {
                    return error(PromptError.Kind.EMPTY, "phrase " + (k + 1) + " of " + phraseTexts.length
                            + " is empty: write text between the '^' separators");
                }
                ParseResult<List<WeightedPrompt>> phrase = parsePhrase(phraseTexts[k], where);
                if (phrase instanceof PromptError<List<WeightedPrompt>> e) {
                    return e.retyped();
                }
                phrases.add(phrase.orElseThrow());
            }
        }
        boolean otherWeights = imageList.stream().anyMatch(p -> p.weight() != 0)
                || noiseList.stream().anyMatch(p -> p.weight() != 0);
        for (int k = 0; k < phrases.size(); k++) {
            boolean textWeights = phrases.get(k).stream().anyMatch(p -> p.weight() != 0);
            if (!textWeights && !otherWeights) {
                return error(PromptError.Kind.ALL_ZERO_WEIGHTS, "all weights" + (phrases.size() == 1 ? "" : " of phrase " + (k + 1))
                        + " are 0, so nothing would guide the image: give at least one prompt a non-zero weight");
            }
        }
        return new Parsed<>(new PromptSet(new PromptSchedule(phrases, changeEvery), imageList, noiseList));
    }

    private ParseResult<List<WeightedPrompt>> parsePhrase(String phrase, String where) {
        String[] parts = phrase.split("\\|", -1);
        if (parts.length > policy.maxPrompts()) {
            return error(PromptError.Kind.TOO_MANY_PROMPTS, "there are " + parts.length + " prompts" + where
                    + "; at most " + policy.maxPrompts() + " are allowed");
        }
        List<WeightedPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String label = "prompt " + (i + 1) + where;
            if (part.isEmpty()) {
                return error(PromptError.Kind.EMPTY, label + " is empty: write text between the '|' separators");
            }
            ParseResult<WeightSuffix.Split> split = WeightSuffix.split(part, label);
            if (split instanceof PromptError<WeightSuffix.Split> e) {
                return e.retyped();
            }
            WeightSuffix.Split s = split.orElseThrow();
            Optional<String> violation = moderation.violation(s.text());
            if (violation.isPresent()) {
                return error(PromptError.Kind.BLOCKED, label + " is refused by the moderation rule: " + violation.get());
            }
            if (budget.checks()) {
                int tokens = budget.counter().applyAsInt(s.text());
                if (tokens > budget.maxTokens()) {
                    return error(PromptError.Kind.TOO_MANY_TOKENS, label + " '" + abbreviate(s.text()) + "' is " + tokens
                            + " tokens; CLIP takes at most " + budget.maxTokens() + " plus start/end: shorten it or split it with '|'");
                }
            }
            prompts.add(new WeightedPrompt(s.text(), s.weight(), s.stop()));
        }
        return new Parsed<>(List.copyOf(prompts));
    }

    /** Image prompts: paths or URLs with optional weight and stop. Null or blank means none. */
    public ParseResult<List<ImagePrompt>> parseImagePrompts(String text) {
        ParseResult<List<String>> parts = splitList(text, "image prompt");
        if (parts instanceof PromptError<List<String>> e) {
            return e.retyped();
        }
        List<ImagePrompt> out = new ArrayList<>();
        List<String> list = parts.orElseThrow();
        for (int i = 0; i < list.size(); i++) {
            ParseResult<WeightSuffix.Split> split = WeightSuffix.split(list.get(i), "image prompt " + (i + 1));
            if (split instanceof PromptError<WeightSuffix.Split> e) {
                return e.retyped();
            }
            WeightSuffix.Split s = split.orElseThrow();
            out.add(new ImagePrompt(s.text(), s.weight(), s.stop()));
        }
        return new Parsed<>(List.copyOf(out));
    }

    /** Noise prompts: {@code seed[:weight]} with an integer seed. Null or blank means none. */
    public ParseResult<List<NoisePrompt>> parseNoisePrompts(String text) {
        ParseResult<List<String>> parts = splitList(text, "noise prompt");
        if (parts instanceof PromptError<List<String>> e) {
            return e.retyped();
        }
        List<NoisePrompt> out = new ArrayList<>();
        List<String> list = parts.orElseThrow();
        for (int i = 0; i < list.size(); i++) {
            String part = list.get(i);
            String label = "noise prompt " + (i + 1);
            String[] fields = part.split(":", -1);
            if (fields.length > 2) {
                return error(PromptError.Kind.BAD_NUMBER, label + " must be seed or seed:weight, got '" + part + "'");
            }
            String seedText = fields[0].strip();
            if (!SEED.matcher(seedText).matches()) {
                return error(PromptError.Kind.BAD_NUMBER, "the seed of " + label + " must be a whole number, got '" + seedText + "'");
            }
            long seed;
            try {
                seed = Long.parseLong(seedText.startsWith("+") ? seedText.substring(1) : seedText);
            } catch (NumberFormatException tooBig) {
                return error(PromptError.Kind.BAD_NUMBER, "the seed of " + label + " must be between " + Long.MIN_VALUE + " and "
                        + Long.MAX_VALUE + ", got '" + seedText + "'");
            }
            double weight = 1.0;
            if (fields.length == 2) {
                String weightText = fields[1].strip();
                if (!WeightSuffix.isNumber(weightText) || !Double.isFinite(WeightSuffix.value(weightText))) {
                    return error(PromptError.Kind.BAD_NUMBER, "the weight of " + label + " must be a finite number, got '"
                            + weightText + "'");
                }
                weight = WeightSuffix.value(weightText);
            }
            out.add(new NoisePrompt(seed, weight));
        }
        return new Parsed<>(List.copyOf(out));
    }

    private ParseResult<List<String>> splitList(String text, String what) {
        if (text == null || text.isBlank()) {
            return new Parsed<>(List.of());
        }
        Optional<PromptError<List<String>>> tooLong = checkLength(text, "the " + what + "s");
        if (tooLong.isPresent()) {
            return tooLong.get();
        }
        String[] parts = text.split("\\|", -1);
        if (parts.length > policy.maxPrompts()) {
            return error(PromptError.Kind.TOO_MANY_PROMPTS, "there are " + parts.length + " " + what + "s; at most "
                    + policy.maxPrompts() + " are allowed");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                return error(PromptError.Kind.EMPTY, what + " " + (i + 1) + " is empty: write it between the '|' separators");
            }
            out.add(part);
        }
        return new Parsed<>(out);
    }

    private <T> Optional<PromptError<T>> checkLength(String text, String what) {
        if (text.length() > policy.maxChars()) {
            return Optional.of(new PromptError<>(PromptError.Kind.TOO_LONG, what + " is " + text.length()
                    + " characters; at most " + policy.maxChars() + " are allowed"));
        }
        return Optional.empty();
    }

    private static <T> PromptError<T> error(PromptError.Kind kind, String message) {
        return new PromptError<>(kind, message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
