package dev.vqclip.engine.clip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Generates a reduced CLIP vocabulary of an exact size for small test models (layout in {@link BpeVocabulary}):
 * the 26 lower-case letters, plus BPE merges learned from a fixed sample of prompt-like English by the usual BPE
 * training loop (Sennrich et al. 2016: repeatedly merge the most frequent adjacent pair, words end in
 * {@code </w>}); ties go to the alphabetically first pair, so the output depends only on the size.
 *
 * <p>{@code main(vocabSize, file.txt.gz)} writes the gzip file the tokenizer reads; the committed
 * {@code tiny_vocab_64.txt.gz} is {@code generate(64)} and a test keeps the two equal.
 */
public final class BpeTinyVocabulary {

    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    /** Pad + the alphabet alone and with {@code </w>} + SOT + EOT. */
    public static final int MIN_SIZE = 1 + 2 * ALPHABET.length() + 2;

    private static final String SAMPLE = """
            a painting of a fox in the snow by a river at sunset, trending on artstation, unreal engine
            the quick brown fox jumps over the lazy dog, a photograph of a cat sitting on the stairs
            a watercolor landscape with mountains and a lake, oil painting of the sea in a storm
            portrait of a woman with a hat, a city street at night in the rain, neon lights
            a castle on a hill under the stars, the forest in the morning light, a ship on the ocean
            a cute robot reading a book in the library, fantasy art of a dragon flying over the mountains
            an astronaut riding a horse on the moon, the garden of a house in the spring with flowers
            a beautiful sunrise over the desert, detailed matte painting, concept art of a space station
            """;

    private BpeTinyVocabulary() {
    }

    /** The lines of the merges file: the header, then {@code vocabSize - MIN_SIZE} merges. */
    public static List<String> generate(int vocabSize) {
        if (vocabSize < MIN_SIZE) {
            throw new IllegalArgumentException("a reduced vocabulary needs at least " + MIN_SIZE
                    + " ids (pad, 26 letters alone and at word end, SOT, EOT), got " + vocabSize);
        }
        int merges = vocabSize - MIN_SIZE;
        List<String> lines = new ArrayList<>();
        lines.add(BpeVocabulary.TINY_HEADER + " vocab_size=" + vocabSize + " alphabet=" + ALPHABET);
        lines.addAll(learnMerges(merges));
        return lines;
    }

    /** {@link #generate} as the gzip file the tokenizer reads. */
    public static byte[] generateGzip(int vocabSize) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write((String.join("\n", generate(vocabSize)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<String> learnMerges(int count) {
        // word (as symbol list) -> frequency, in first-seen order
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        for (String word : SAMPLE.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (!word.isEmpty()) {
                List<String> symbols = new ArrayList<>();
                for (int i = 0; i < word.length(); i++) {
                    symbols.add(word.charAt(i) + (i == word.length() - 1 ? BpeVocabulary.END_OF_WORD : ""));
                }
                words.merge(symbols, 1, Integer::sum);
            }
        }
        List<String> merges = new ArrayList<>();
        while (merges.size() < count) {
            // "left right" -> frequency, sorted so that ties resolve alphabetically
            TreeMap<String, Integer> pairs = new TreeMap<>();
            words.forEach((symbols, freq) -> {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), freq, Integer::sum);
                }
            });
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("the sample text yields only " + merges.size()
                        + " merges; a reduced vocabulary of this size needs " + count);
            }
            String best = pairs.firstKey();
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                if (e.getValue() > pairs.get(best)) {
                    best = e.getKey();
                }
            }
            merges.add(best);
            String[] pair = best.split(" ");
            Map<List<String>, Integer> next = new LinkedHashMap<>();
            words.forEach((symbols, freq) -> next.merge(applyMerge(symbols, pair[0], pair[1]), freq, Integer::sum));
            words = next;
        }
        return merges;
    }

    private static List<String> applyMerge(List<String> symbols, String left, String right) {
        List<String> out = new ArrayList<>(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                out.add(left + right);
                i++;
            } else {
                out.add(symbols.get(i));
            }
        }
        return out;
    }

    /** Writes {@code generate(size)} gzip-compressed: {@code BpeTinyVocabulary <vocabSize> <file.txt.gz>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BpeTinyVocabulary <vocabSize> <file.txt.gz>");
        }
        Files.write(Path.of(args[1]), generateGzip(Integer.parseInt(args[0])));
    }
}
