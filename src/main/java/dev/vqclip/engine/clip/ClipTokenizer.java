package dev.vqclip.engine.clip;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE tokenizer: a Java port of the behaviour of OpenAI CLIP's {@code SimpleTokenizer.encode}
 * and {@code clip.tokenize} (clip/simple_tokenizer.py, clip/clip.py), written from their description.
 *
 * <p>Pipeline: clean ({@link ClipTokenizerCleaner}: ftfy subset, HTML unescape twice, whitespace collapse, strip,
 * lower-case) → pre-tokens by CLIP's regex (special tokens, English contractions, letter runs, single digits,
 * runs of other non-space characters) → UTF-8 bytes mapped through GPT-2's byte table → BPE by merge rank with
 * {@code </w>} on the last symbol → ids. {@link #tokenize} frames ids as {@code [SOT] + ids + [EOT]} and zero-pads.
 *
 * <p>As upstream, the literal strings {@code <|startoftext|>} and {@code <|endoftext|>} in the text become the
 * special ids (text after an inner EOT still counts towards the length, but CLIP pools at the first EOT).
 *
 * <p>With a reduced vocabulary (see {@link BpeVocabulary}), byte characters outside its alphabet are dropped before
 * BPE: a tiny test model cannot represent them, and dropping keeps any prompt usable with it. A word made only of
 * such characters yields no ids.
 *
 * <p>Thread-safe: the vocabulary is immutable and the word cache is a concurrent LRU.
 */
public final class ClipTokenizer {

    /** Context length of every released CLIP model. */
    public static final int CLIP_CONTEXT_LENGTH = 77;
    /** The bundled 64-id reduced vocabulary matching the tiny fixture CLIP (SOT 62, EOT 63, ordinary ids 1..61). */
    public static final String TINY_64_RESOURCE = "/dev/vqclip/engine/clip/tiny_vocab_64.txt.gz";

    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final int[] NO_IDS = new int[0];

    private final BpeVocabulary vocabulary;
    /** Byte-encoded pre-token → its ids; shared by all callers. */
    private final Cache<String, int[]> words = Caffeine.newBuilder().maximumSize(20_000).build();

    private ClipTokenizer(BpeVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** Reads a gzip-compressed merges file: OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} or a reduced vocabulary. */
    public static ClipTokenizer fromMergesFile(Path gz) throws IOException {
        try (InputStream in = Files.newInputStream(gz)) {
            return fromMergesStream(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(gz + ": " + e.getMessage(), e);
        }
    }

    /** OpenAI's merges file inflates to 1.6 MB; anything far larger is refused unread (gzip bombs). */
    public static final int MAX_MERGES_BYTES = 16 << 20;

    /**
     * Reads a gzip-compressed merges file from a stream (not closed here).
     *
     * @throws IllegalArgumentException when it is not gzip or inflates to more than {@link #MAX_MERGES_BYTES}
     */
    public static ClipTokenizer fromMergesStream(InputStream gz) throws IOException {
        byte[] text;
        try {
            text = new GZIPInputStream(gz).readNBytes(MAX_MERGES_BYTES + 1);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IllegalArgumentException("the vocabulary is not a valid gzip file (" + e.getMessage() + ")", e);
        }
        if (text.length > MAX_MERGES_BYTES) {
            throw new IllegalArgumentException("the vocabulary inflates to more than " + MAX_MERGES_BYTES
                    + " bytes, the limit");
        }
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(text),
                StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return fromLines(lines);
    }

    /** A generated reduced vocabulary of exactly {@code vocabSize} ids (see {@link BpeTinyVocabulary}). */
    public static ClipTokenizer reduced(int vocabSize) {
        return fromLines(BpeTinyVocabulary.generate(vocabSize));
    }

    /** A tokenizer over the lines of an uncompressed merges file. */
    static ClipTokenizer fromLines(List<String> lines) {
        return new ClipTokenizer(BpeVocabulary.parse(lines));
    }

    /** The bundled reduced vocabulary for the tiny fixture CLIP model (vocab_size 64). */
    public static ClipTokenizer tiny64() {
        try (InputStream in = ClipTokenizer.class.getResourceAsStream(TINY_64_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TINY_64_RESOURCE + " is missing from the classpath");
            }
            return fromMergesStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TINY_64_RESOURCE, e);
        }
    }

    /** BPE ids of {@code text} without SOT/EOT and without any length limit. */
    public int[] encode(String text) {
        String cleaned = ClipTokenizerCleaner.clean(text);
        int[] out = new int[Math.max(8, cleaned.length())];
        int n = 0;
        Matcher m = PRE_TOKEN.matcher(cleaned);
        while (m.find()) {
            String token = m.group();
            int[] ids;
            if (token.equals(BpeVocabulary.SOT)) {
                ids = new int[] {vocabulary.sot()};
            } else if (token.equals(BpeVocabulary.EOT)) {
                ids = new int[] {vocabulary.eot()};
            } else {
                ids = words.get(BpeByteEncoder.encode(token), this::bpe);
            }
            if (n + ids.length > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, n + ids.length));
            }
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(out, n);
    }

    /** Number of BPE ids of {@code text}, excluding SOT/EOT; the model accepts at most context length - 2. */
    public int countTokens(String text) {
        return encode(text).length;
    }

    /**
     * {@code [SOT] + encode(text) + [EOT]} per text, zero-padded to {@code contextLength}: shape
     * {@code [texts.size(), contextLength]}. Too long a text is an {@link IllegalArgumentException} naming its token
     * count, unless {@code truncate}, which keeps the first {@code contextLength - 1} ids and ends with EOT (as
     * {@code clip.tokenize(truncate=True)}).
     */
    public long[][] tokenize(List<String> texts, int contextLength, boolean truncate) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2 (SOT and EOT), got " + contextLength);
        }
        long[][] result = new long[texts.size()][contextLength]; // [N, context]
        for (int row = 0; row < texts.size(); row++) {
            String text = texts.get(row);
            int[] ids = encode(text);
            int framed = ids.length + 2;
            if (framed > contextLength && !truncate) {
                throw new IllegalArgumentException("prompt \"" + abbreviate(text) + "\" is " + ids.length + " tokens; CLIP takes at most "
                        + (contextLength - 2) + " plus start/end");
            }
            long[] tokens = result[row];
            tokens[0] = vocabulary.sot();
            int kept = Math.min(ids.length, contextLength - 2);
            for (int i = 0; i < kept; i++) {
                tokens[i + 1] = ids[i];
            }
            // when truncating this is clip.tokenize(truncate=True): tokens[:context] with the last overwritten by EOT
            tokens[kept + 1] = vocabulary.eot();
        }
        return result;
    }

    /** {@link #tokenize(List, int, boolean)} at the model's context length, after {@link #requireCompatible}. */
    public long[][] tokenize(List<String> texts, ClipConfig model, boolean truncate) {
        requireCompatible(model);
        return tokenize(texts, model.contextLength(), truncate);
    }

    /** Fails unless this vocabulary has exactly the model's embedding rows and its SOT/EOT ids. */
    public void requireCompatible(ClipConfig model) {
        if (model.vocabSize() != vocabSize() || model.sotToken() != sot() || model.eotToken() != eot()) {
            throw new IllegalArgumentException("this vocabulary has " + vocabSize() + " ids (SOT " + sot() + ", EOT " + eot()
                    + ") but the CLIP model embeds " + model.vocabSize() + " (SOT " + model.sotToken() + ", EOT "
                    + model.eotToken() + ")");
        }
    }

    public int sot() {
        return vocabulary.sot();
    }

    public int eot() {
        return vocabulary.eot();
    }

    /** Number of ids (the CLIP token-embedding rows this vocabulary needs). */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The symbol of an id, e.g. {@code "cat</w>"}; byte characters appear as GPT-2's table shows them. */
    public String symbol(int id) {
        if (id < 0 || id >= vocabulary.size()) {
            throw new IllegalArgumentException("token id must be in 0.." + (vocabulary.size() - 1) + ", got " + id);
        }
        return vocabulary.symbol(id);
    }

    /** Whether this is a reduced (test-model) vocabulary rather than OpenAI's byte-level one. */
    public boolean isReduced() {
        return vocabulary.reduced();
    }

    /**
     * Upstream {@code SimpleTokenizer.bpe}: start from single characters (the last one with {@code </w>}), then
     * repeatedly merge every occurrence, left to right, of the adjacent pair with the lowest merge rank.
     */
    private int[] bpe(String byteEncoded) {
        int[] word = new int[byteEncoded.length()];
        int n = 0;
        int last = lastRepresentable(byteEncoded);
        for (int i = 0; i <= last; i++) {
            int id = vocabulary.charId(byteEncoded.charAt(i), i == last);
            if (id >= 0) {
                word[n++] = id;
            }
        }
        if (n == 0) {
            return NO_IDS;
        }
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int first = -1;
            int second = -1;
            for (int i = 0; i + 1 < n; i++) {
                int rank = vocabulary.rank(word[i], word[i + 1]);
                if (rank < bestRank) {
                    bestRank = rank;
                    first = word[i];
                    second = word[i + 1];
                }
            }
            if (bestRank == Integer.MAX_VALUE) {
                break;
            }
            int merged = vocabulary.merged(first, second);
            int out = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && word[i] == first && word[i + 1] == second) {
                    word[out++] = merged;
                    i++;
                } else {
                    word[out++] = word[i];
                }
            }
            n = out;
        }
        return Arrays.copyOf(word, n);
    }

    /** Index of the last character the vocabulary can represent (it carries {@code </w>}); -1 if none. */
    private int lastRepresentable(String byteEncoded) {
        for (int i = byteEncoded.length() - 1; i >= 0; i--) {
            if (vocabulary.charId(byteEncoded.charAt(i), true) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
