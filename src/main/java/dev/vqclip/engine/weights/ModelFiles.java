package dev.vqclip.engine.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one entry point for weight files: picks the reader from the file's content, not its name.
 * <ul>
 *   <li>safetensors (u64 header length, then a JSON header opening with a brace) → {@link SafetensorsReader};</li>
 *   <li>a zip with {@code <folder>/data.pkl} and a {@code code/} folder (TorchScript, OpenAI CLIP) →
 *       {@link ClipArchive};</li>
 *   <li>any other zip with {@code <folder>/data.pkl} ({@code torch.save}, taming/Lightning {@code .ckpt}) →
 *       {@link TorchCheckpoint}.</li>
 * </ul>
 * Anything else (empty, truncated, the pre-1.6 non-zip torch format, unrelated files) fails with a
 * {@link WeightsException} that says what the file looked like.
 */
public final class ModelFiles {
    private static final byte[] ZIP_LOCAL_HEADER = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY_ARCHIVE = {'P', 'K', 5, 6};
    /** Legacy torch.save starts with the pickled magic number 0x1950a86a20f9469cfc6c: PROTO 2, LONG1 10 bytes. */
    private static final byte[] LEGACY_TORCH = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
            (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

    private ModelFiles() {
    }

    public static StateDict readStateDict(Path file) {
        String name = file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new WeightsException(Files.exists(file) ? file + " is not a regular file (a folder, device or pipe)"
                    : file + ": no such file");
        }
        long size;
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            head = in.readNBytes(16);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new WeightsException(name + " is empty (0 bytes); an interrupted download?");
        }
        if (startsWith(head, ZIP_LOCAL_HEADER) || startsWith(head, ZIP_EMPTY_ARCHIVE)) {
            try (TorchZip zip = TorchZip.open(file)) {
                return zip.isTorchScript() ? ClipArchive.read(zip) : TorchCheckpoint.read(zip);
            }
        }
        if (looksLikeSafetensors(head)) {
            return SafetensorsReader.read(file);
        }
        if (startsWith(head, LEGACY_TORCH)) {
            throw new WeightsException(name + " uses the legacy non-zip torch.save format (torch < 1.6), which is not "
                    + "supported: re-save it with torch >= 1.6 or convert it to safetensors");
        }
        throw new WeightsException(name + " is not a weights file this program reads (safetensors, a torch .ckpt zip "
                + "or a TorchScript archive); it starts with bytes " + hex(head));
    }

    private static boolean looksLikeSafetensors(byte[] head) {
        if (head.length < 9) {
            return false;
        }
        // a header length that overruns the file is left to SafetensorsReader, which reports the truncation
        long headerLen = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return head[8] == '{' && headerLen > 0;
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (head[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            s.append(String.format("%02x ", b[i] & 0xff));
        }
        return s.toString().trim();
    }
}
