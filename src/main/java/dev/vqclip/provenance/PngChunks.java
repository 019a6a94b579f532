package dev.vqclip.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads and writes PNG text chunks on the raw file bytes (PNG spec, W3C 2003, sections 5 and 11.3.4): tEXt
 * (Latin-1), zTXt (deflated Latin-1) and iTXt (UTF-8, optionally deflated). New chunks go right after IHDR so
 * streaming readers see them before the pixels.
 */
public final class PngChunks {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Inflated text is capped so a small zTXt cannot expand into a memory bomb. */
    static final int MAX_INFLATED_TEXT = 4 << 20;
    /** Text chunks read per file: a stamp writes 4; photo tools a handful. */
    public static final int MAX_TEXT_CHUNKS = 64;
    /** All text chunks of a file together, after inflating. */
    public static final int MAX_TOTAL_TEXT = 8 << 20;
    /** XMP packets go into iTXt uncompressed, as the XMP specification (part 3, 1.1.5) asks. */
    public static final String XMP_KEYWORD = "XML:com.adobe.xmp";

    private PngChunks() {
    }

    public static boolean isPng(byte[] bytes) {
        return bytes.length >= SIGNATURE.length && Arrays.equals(Arrays.copyOf(bytes, SIGNATURE.length), SIGNATURE);
    }

    /**
     * The text entries of a PNG, in file order. Reading stops quietly at the first malformed chunk (the pixels
     * decide whether the file is usable); chunks with a wrong CRC and undecodable texts are skipped.
     */
    /**
     * @throws BadImageException when the file has more than {@link #MAX_TEXT_CHUNKS} text chunks or their text
     *                           inflates to more than {@link #MAX_TOTAL_TEXT} bytes in all
     */
    public static List<PngText> readTexts(byte[] png) throws BadImageException {
        List<PngText> out = new ArrayList<>();
        int textChunks = 0;
        long textBytes = 0;
        if (!isPng(png)) {
            return out;
        }
        int pos = SIGNATURE.length;
        while (pos + 12 <= png.length) {
            long length = readInt(png, pos) & 0xFFFFFFFFL;
            if (length > png.length - pos - 12L) {
                break;
            }
            int len = (int) length;
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            int data = pos + 8;
            CRC32 crc = new CRC32();
            crc.update(png, pos + 4, 4 + len);
            boolean crcOk = (crc.getValue() & 0xFFFFFFFFL) == (readInt(png, data + len) & 0xFFFFFFFFL);
            boolean isText = type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt");
            if (crcOk && isText && ++textChunks > MAX_TEXT_CHUNKS) {
                throw new BadImageException("more than " + MAX_TEXT_CHUNKS + " PNG text chunks (the limit); the chunk at byte "
                        + pos + " is number " + textChunks);
            }
            if (crcOk) {
                PngText text = switch (type) {
                    case "tEXt" -> parseText(png, data, len);
                    case "zTXt" -> parseZText(png, data, len);
                    case "iTXt" -> parseIText(png, data, len);
                    default -> null;
                };
                if (text != null) {
                    textBytes += text.text().length();
                    if (textBytes > MAX_TOTAL_TEXT) {
                        throw new BadImageException("the PNG text chunks hold more than " + MAX_TOTAL_TEXT
                                + " characters in all (the limit); " + textBytes + " by the chunk at byte " + pos);
                    }
                    out.add(text);
                }
            }
            if (type.equals("IEND")) {
                break;
            }
            pos = data + len + 4;
        }
        return out;
    }

    /**
     * The PNG with the given texts inserted after IHDR, and every existing text chunk whose keyword is among
     * {@code replacedKeywords} removed (so re-stamping does not pile up stale copies).
     */
    public static byte[] withTexts(byte[] png, List<PngText> texts, Set<String> replacedKeywords) throws ProvenanceException {
        if (!isPng(png)) {
            throw new ProvenanceException("not a PNG file (bad signature)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 4096);
        out.write(png, 0, SIGNATURE.length);
        int pos = SIGNATURE.length;
        boolean inserted = false;
        while (pos + 12 <= png.length) {
            long length = readInt(png, pos) & 0xFFFFFFFFL;
            if (length > png.length - pos - 12L) {
                throw new ProvenanceException("PNG chunk at byte " + pos + " claims " + length + " bytes; file is truncated");
            }
            int len = (int) length;
            String type = new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1);
            boolean drop = false;
            if (type.equals("tEXt") || type.equals("zTXt") || type.equals("iTXt")) {
                String keyword = keywordAt(png, pos + 8, len);
                drop = keyword != null && replacedKeywords.contains(keyword);
            }
            if (!drop) {
                out.write(png, pos, 12 + len);
            }
            if (type.equals("IHDR") && !inserted) {
                for (PngText text : texts) {
                    writeChunk(out, text);
                }
                inserted = true;
            }
            pos += 12 + len;
            if (type.equals("IEND")) {
                break;
            }
        }
        if (!inserted) {
            throw new ProvenanceException("PNG has no IHDR chunk");
        }
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, PngText text) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] keyword = text.keyword().getBytes(StandardCharsets.ISO_8859_1);
        data.writeBytes(keyword);
        data.write(0);
        String type;
        if (text.latin1() && !text.keyword().equals(XMP_KEYWORD)) {
            type = "tEXt";
            data.writeBytes(text.text().getBytes(StandardCharsets.ISO_8859_1));
        } else {
            type = "iTXt";
            data.write(0); // compression flag: uncompressed
            data.write(0); // compression method
            data.write(0); // empty language tag
            data.write(0); // empty translated keyword
            data.writeBytes(text.text().getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = data.toByteArray();
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, body.length);
        out.writeBytes(typeBytes);
        out.writeBytes(body);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(body);
        writeInt(out, (int) crc.getValue());
    }

    private static String keywordAt(byte[] b, int data, int len) {
        int nul = indexOf(b, data, data + len, 0);
        if (nul <= data || nul - data > 79) {
            return null;
        }
        return new String(b, data, nul - data, StandardCharsets.ISO_8859_1);
    }

    private static PngText parseText(byte[] b, int data, int len) {
        String keyword = keywordAt(b, data, len);
        if (keyword == null) {
            return null;
        }
        int start = data + keyword.length() + 1;
        return entry(keyword, new String(b, start, data + len - start, StandardCharsets.ISO_8859_1));
    }

    private static PngText parseZText(byte[] b, int data, int len) {
        String keyword = keywordAt(b, data, len);
        if (keyword == null || keyword.length() + 2 > len || b[data + keyword.length() + 1] != 0) {
            return null;
        }
        int start = data + keyword.length() + 2;
        byte[] inflated = inflate(b, start, data + len - start);
        return inflated == null ? null : entry(keyword, new String(inflated, StandardCharsets.ISO_8859_1));
    }

    private static PngText parseIText(byte[] b, int data, int len) {
        String keyword = keywordAt(b, data, len);
        if (keyword == null) {
            return null;
        }
        int end = data + len;
        int p = data + keyword.length() + 1;
        if (p + 2 > end) {
            return null;
        }
        boolean compressed = b[p] == 1;
        if (b[p + 1] != 0) {
            return null;
        }
        int languageEnd = indexOf(b, p + 2, end, 0);
        if (languageEnd < 0) {
            return null;
        }
        int translatedEnd = indexOf(b, languageEnd + 1, end, 0);
        if (translatedEnd < 0) {
            return null;
        }
        int start = translatedEnd + 1;
        byte[] raw = compressed ? inflate(b, start, end - start) : Arrays.copyOfRange(b, start, end);
        return raw == null ? null : entry(keyword, new String(raw, StandardCharsets.UTF_8));
    }

    private static PngText entry(String keyword, String text) {
        try {
            return new PngText(keyword, text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] inflate(byte[] b, int off, int len) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED_TEXT) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static int indexOf(byte[] b, int from, int to, int value) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int readInt(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
