package dev.vqclip.engine.clip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols, ids and merge ranks read from a CLIP merges file, in one of two layouts.
 *
 * <p><b>OpenAI's file</b> ({@code bpe_simple_vocab_16e6.txt.gz}): line 1 is a version header, then one merge per
 * line ("{@code left right}"); like upstream {@code SimpleTokenizer} only the first 49152-256-2 = 48 894 merges are
 * used. Vocabulary = the 256 byte characters, the same with {@code </w>}, one symbol per merge, then
 * {@code <|startoftext|>} and {@code <|endoftext|>}: 49 408 ids, SOT 49406, EOT 49407.
 *
 * <p><b>Reduced vocabulary</b> (ours, for small test models whose embedding table cannot hold 512 byte symbols):
 * line 1 is {@code #vqclip-tiny-vocab vocab_size=N alphabet=CHARS}. Vocabulary = id 0 reserved for padding (the
 * symbol {@code <|pad|>}, which no text produces, so ordinary ids start at 1 as in the tiny fixture model), the
 * alphabet characters, the same with {@code </w>}, one symbol per merge, SOT, EOT; the file must have exactly the
 * merges that make the total N. Characters outside the alphabet cannot be represented and are dropped by the
 * tokenizer (documented there).
 */
final class BpeVocabulary {

    static final String SOT = "<|startoftext|>";
    static final String EOT = "<|endoftext|>";
    static final String END_OF_WORD = "</w>";
    static final String TINY_HEADER = "#vqclip-tiny-vocab";
    static final String PAD = "<|pad|>";
    /** Upstream keeps merges[1 : 49152-256-2+1], i.e. this many merges after the header line. */
    static final int CLIP_MERGES = 49152 - 256 - 2;

    private final List<String> symbols;
    private final Map<String, Integer> ids;
    /** (left id << 32 | right id) -> merge rank; lower ranks merge first. */
    private final Map<Long, Integer> ranks;
    /** Per byte character (0..511): its id alone, or -1 if outside the alphabet. */
    private final int[] charIds = new int[512];
    /** Per byte character: its id with the end-of-word marker, or -1. */
    private final int[] charEndIds = new int[512];
    private final boolean reduced;

    private BpeVocabulary(List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("merges file is empty: expected a header line and merges");
        }
        String header = lines.get(0);
        this.reduced = header.startsWith(TINY_HEADER);
        this.symbols = new ArrayList<>();
        this.ids = new HashMap<>();
        this.ranks = new HashMap<>();
        java.util.Arrays.fill(charIds, -1);
        java.util.Arrays.fill(charEndIds, -1);

        char[] alphabet;
        int mergeCount;
        int declaredSize = -1;
        if (reduced) {
            Map<String, String> fields = headerFields(header);
            declaredSize = intField(fields, "vocab_size", header);
            alphabet = alphabetField(fields, header);
            add(PAD);
            mergeCount = declaredSize - 1 - 2 * alphabet.length - 2;
            if (mergeCount < 0) {
                throw new IllegalArgumentException("reduced vocabulary of size " + declaredSize + " cannot hold pad, "
                        + alphabet.length + " alphabet characters twice and SOT/EOT (needs at least "
                        + (3 + 2 * alphabet.length) + ")");
            }
        } else {
            alphabet = BpeByteEncoder.vocabularyOrder();
            mergeCount = CLIP_MERGES;
        }
        for (char c : alphabet) {
            charIds[c] = add(String.valueOf(c));
        }
        for (char c : alphabet) {
            charEndIds[c] = add(c + END_OF_WORD);
        }

        int rank = 0;
        for (int line = 1; line < lines.size() && rank < mergeCount; line++) {
            String text = lines.get(line);
            if (reduced && text.isBlank()) {
                continue;
            }
            String[] parts = text.split(" ");
            if (parts.length != 2) {
                throw new IllegalArgumentException("merges file line " + (line + 1) + " must be two symbols separated by one space, got '"
                        + text + "'");
            }
            Integer left = ids.get(parts[0]);
            Integer right = ids.get(parts[1]);
            if (left == null || right == null) {
                throw new IllegalArgumentException("merges file line " + (line + 1) + " merges '" + text
                        + "', but '" + (left == null ? parts[0] : parts[1]) + "' is not a symbol of the earlier lines");
            }
            // dict(zip(merges, range)): a repeated pair keeps its last rank, as upstream
            ranks.put(key(left, right), rank++);
            add(parts[0] + parts[1]);
        }
        if (reduced && rank != mergeCount) {
            throw new IllegalArgumentException("reduced vocabulary declares vocab_size=" + declaredSize + ", which needs "
                    + mergeCount + " merges, but the file has " + rank);
        }
        add(SOT);
        add(EOT);
        if (reduced && symbols.size() != declaredSize) {
            throw new IllegalArgumentException("reduced vocabulary has " + symbols.size() + " ids, declared " + declaredSize);
        }
    }

    static BpeVocabulary parse(List<String> lines) {
        return new BpeVocabulary(lines);
    }

    private int add(String symbol) {
        int id = symbols.size();
        symbols.add(symbol);
        // upstream builds a dict from the vocabulary list, so a repeated symbol maps to its last id
        ids.put(symbol, id);
        return id;
    }

    private static Map<String, String> headerFields(String header) {
        Map<String, String> fields = new HashMap<>();
        for (String part : header.substring(TINY_HEADER.length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return fields;
    }

    private static int intField(Map<String, String> fields, String name, String header) {
        String value = fields.get(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reduced vocabulary header needs " + name + "=<integer>, got '" + header + "'");
        }
    }

    private static char[] alphabetField(Map<String, String> fields, String header) {
        String value = fields.get("alphabet");
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("reduced vocabulary header needs alphabet=<characters>, got '" + header + "'");
        }
        char[] chars = value.toCharArray();
        boolean[] seen = new boolean[512];
        for (char c : chars) {
            if (!BpeByteEncoder.isByteCharacter(c)) {
                throw new IllegalArgumentException("alphabet character '" + c + "' (U+" + Integer.toHexString(c)
                        + ") is not a byte character of the BPE table");
            }
            if (seen[c]) {
                throw new IllegalArgumentException("alphabet character '" + c + "' appears twice in '" + value + "'");
            }
            seen[c] = true;
        }
        return chars;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The id of a character (a byte-table character) alone or at the end of a word; -1 outside the alphabet. */
    int charId(char c, boolean endOfWord) {
        if (c >= 512) {
            return -1;
        }
        return endOfWord ? charEndIds[c] : charIds[c];
    }

    /** The merge rank of the adjacent pair, or {@link Integer#MAX_VALUE} if the pair never merges. */
    int rank(int left, int right) {
        Integer rank = ranks.get(key(left, right));
        return rank == null ? Integer.MAX_VALUE : rank;
    }

    /** The id of the symbol that merging the pair produces. */
    int merged(int left, int right) {
        return ids.get(symbols.get(left) + symbols.get(right));
    }

    String symbol(int id) {
        return symbols.get(id);
    }

    int size() {
        return symbols.size();
    }

    int sot() {
        return ids.get(SOT);
    }

    int eot() {
        return ids.get(EOT);
    }

    boolean reduced() {
        return reduced;
    }
}
