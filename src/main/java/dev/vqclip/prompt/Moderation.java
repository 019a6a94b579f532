package dev.vqclip.prompt;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The compiled moderation rules of a {@link PromptPolicy}: used by the parser, and by the job system to re-check
 * every recipe it admits (recipes also arrive from rerolls and stored jobs, not only from the parser).
 */
public final class Moderation {

    private record Rule(String description, Pattern pattern) {
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final List<Rule> rules = new ArrayList<>();

    public Moderation(PromptPolicy policy) {
        for (String word : policy.blockedWords()) {
            String normalized = normalize(word);
            // whole words: no letter, digit or underscore may touch either end (\b fails for words like "f*ck")
            rules.add(new Rule("blocked word '" + word.strip() + "'",
                    Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(normalized) + "(?![\\p{L}\\p{N}_])", FLAGS)));
        }
        for (String pattern : policy.blockedPatterns()) {
            rules.add(new Rule("blocked pattern '" + pattern + "'", Pattern.compile(pattern, FLAGS)));
        }
    }

    /** The first rule the text breaks, described for the user, if any. */
    public Optional<String> violation(String text) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        // full-width letters, ligatures and doubled spaces must not slip past a rule
        String normalized = normalize(text);
        for (Rule rule : rules) {
            if (rule.pattern().matcher(normalized).find()) {
                return Optional.of(rule.description());
            }
        }
        return Optional.empty();
    }

    private static String normalize(String text) {
        return WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC)).replaceAll(" ").strip();
    }
}
