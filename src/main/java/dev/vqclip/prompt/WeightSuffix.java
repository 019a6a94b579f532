package dev.vqclip.prompt;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits one prompt part into text, weight and stop, reading {@code text:weight:stop} from the right.
 *
 * <p>KC and NR split on the last two colons and crash on any other colon; we follow pixray instead and peel off at
 * most two trailing {@code :number} parts, and only while they look like numbers, so "Portrait: a cat" and
 * "http://x.png" stay text. One number is the weight, two are weight then stop. One more rule of ours: a number
 * right after a digit and a colon that is a plain unsigned integer ("at 12:30", "16:9") is read as text, since
 * times and ratios are common in prompts and integer weights after a digit are not; write "room 101 :2" or
 * "room 101:2.0" to weight such a text.
 *
 * <p>A peeled number that is not usable is an error, not text: a weight must be finite ("cat:1e999" overflows),
 * a stop finite or -inf. Number syntax is decimal with an optional exponent; "inf", "infinity" and "nan" (any case,
 * signed) count as numbers so that they are reported rather than silently kept as text.
 */
final class WeightSuffix {

    /** A parsed part. */
    record Split(String text, double weight, double stop) {
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNSIGNED_INTEGER = Pattern.compile("\\d+");

    private WeightSuffix() {
    }

    /**
     * @param part  one trimmed, non-empty part between separators
     * @param label how to name the part in messages, e.g. "prompt 2"
     */
    static ParseResult<Split> split(String part, String label) {
        int lastColon = part.lastIndexOf(':');
        if (lastColon < 0) {
            return new Parsed<>(new Split(part, 1.0, Double.NEGATIVE_INFINITY));
        }
        String last = part.substring(lastColon + 1).strip();
        String rest = part.substring(0, lastColon);
        if (!isNumber(last)) {
            return new Parsed<>(new Split(part, 1.0, Double.NEGATIVE_INFINITY));
        }
        int middleColon = rest.lastIndexOf(':');
        if (middleColon >= 0) {
            String middle = rest.substring(middleColon + 1).strip();
            String head = rest.substring(0, middleColon);
            if (isNumber(middle) && !looksLikeTimeOrRatio(head, middle)) {
                return build(head.strip(), middle, last, part, label);
            }
        }
        if (looksLikeTimeOrRatio(rest, last)) {
            return new Parsed<>(new Split(part, 1.0, Double.NEGATIVE_INFINITY));
        }
        return build(rest.strip(), last, null, part, label);
    }

    private static ParseResult<Split> build(String text, String weightText, String stopText, String part, String label) {
        if (text.isEmpty()) {
            return new PromptError<>(PromptError.Kind.EMPTY, label + " '" + part + "' has a weight but no text before it");
        }
        double weight = value(weightText);
        if (!Double.isFinite(weight)) {
            return new PromptError<>(PromptError.Kind.BAD_NUMBER, "the weight of " + label + " '" + text
                    + "' must be a finite number, got '" + weightText + "'");
        }
        double stop = stopText == null ? Double.NEGATIVE_INFINITY : value(stopText);
        if (Double.isNaN(stop) || stop == Double.POSITIVE_INFINITY) {
            return new PromptError<>(PromptError.Kind.BAD_NUMBER, "the stop of " + label + " '" + text
                    + "' must be a number or -inf, got '" + stopText + "'");
        }
        return new Parsed<>(new Split(text, weight, stop));
    }

    static boolean isNumber(String s) {
        return DECIMAL.matcher(s).matches() || SPECIAL.matcher(s).matches();
    }

    /** The value of a string for which {@link #isNumber} holds. */
    static double value(String s) {
        if (DECIMAL.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        String word = s.toLowerCase(Locale.ROOT);
        if (word.endsWith("nan")) {
            return Double.NaN;
        }
        return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** "12:30", "16:9": a digit right before the colon and a bare unsigned integer after it. */
    private static boolean looksLikeTimeOrRatio(String before, String number) {
        return !before.isEmpty() && Character.isDigit(before.charAt(before.length() - 1))
                && UNSIGNED_INTEGER.matcher(number).matches();
    }
}
