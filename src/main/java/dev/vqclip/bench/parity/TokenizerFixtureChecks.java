package dev.vqclip.bench.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.engine.clip.ClipTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLIP tokenizer against {@code clip_tokenizer_cases.json} (ids produced by upstream {@code clip.tokenize}):
 * one check per case, the error being the number of differing ids (exact match required). Needs the real BPE
 * vocabulary; without it the group reports nothing and {@link #missingVocabulary()} says why.
 */
public final class TokenizerFixtureChecks implements FixtureCheckGroup {
    public static final String CASES = "clip_tokenizer_cases.json";
    private static final Pattern REPEATED = Pattern.compile("'([^']*)' repeated (\\d+) times, separated by single spaces");
    private final Path vocabulary;

    /** @param vocabulary the official {@code bpe_simple_vocab_16e6.txt.gz}, or null when none was found */
    public TokenizerFixtureChecks(Path vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public String name() {
        return "tokenizer";
    }

    /** Null when the checks can run, else the reason they are skipped. */
    public String missingVocabulary() {
        return vocabulary != null && Files.isRegularFile(vocabulary) ? null
                : "no CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz) found; pass --vocab FILE";
    }

    @Override
    public List<FixtureCheck> run(Path fixturesDir) {
        Path cases = fixturesDir.resolve(CASES);
        if (!Files.isRegularFile(cases) || missingVocabulary() != null) {
            return List.of();
        }
        try {
            ClipTokenizer tokenizer = ClipTokenizer.fromMergesFile(vocabulary);
            JsonNode root = new ObjectMapper().readTree(cases.toFile());
            int context = root.path("context_length").asInt(ClipTokenizer.CLIP_CONTEXT_LENGTH);
            List<FixtureCheck> out = new ArrayList<>();
            int i = 0;
            for (JsonNode c : root.path("cases")) {
                out.add(compare("tokenizer/case_" + i++, tokenizer, c, context, false));
            }
            JsonNode truncate = root.path("truncate_case");
            if (truncate.isObject()) {
                out.add(compare("tokenizer/truncate_case", tokenizer, truncate, context, true));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cases + ": " + e.getMessage(), e);
        }
    }

    /**
     * The fixture stores its long truncation input as a description ("'word' repeated 100 times, separated by single
     * spaces") rather than the text itself; expand that form, take anything else literally.
     */
    static String text(String stored) {
        Matcher m = REPEATED.matcher(stored);
        return m.matches() ? String.join(" ", Collections.nCopies(Integer.parseInt(m.group(2)), m.group(1))) : stored;
    }

    private static FixtureCheck compare(String name, ClipTokenizer tokenizer, JsonNode c, int context, boolean truncate) {
        long[] actual = tokenizer.tokenize(List.of(text(c.path("text").asText())), context, truncate)[0];
        JsonNode expected = c.path("tokens");
        int differing = 0;
        for (int j = 0; j < context; j++) {
            long e = j < expected.size() ? expected.get(j).asLong() : 0L;
            if (actual[j] != e) {
                differing++;
            }
        }
        return FixtureCheck.of(name, differing, 0);
    }
}
