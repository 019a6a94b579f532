package dev.vqclip.engine.weights;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip container that {@code torch.save} (since torch 1.6) and {@code torch.jit.save} write: one top folder of
 * arbitrary name holding {@code data.pkl} (the pickle) and {@code data/<key>} (one raw little-endian entry per
 * storage); TorchScript archives also hold {@code code/} and {@code constants.pkl}.
 *
 * <p>Entries are read through the central directory ({@link ZipFile}), because every local header has bit 3 set
 * (sizes in a trailing data descriptor), which {@code ZipInputStream} rejects for stored entries. Nothing under
 * {@code code/} is ever read. Storages are read only when a tensor that is kept needs them, so the optimizer state in
 * a training checkpoint costs nothing.
 */
final class TorchZip implements Closeable {
    private static final long MAX_PICKLE_BYTES = 256L * 1024 * 1024;
    /** torch.save stores entries uncompressed; a deflated entry may inflate at most this much (zip bombs). */
    static final long MAX_INFLATION_RATIO = 100;
    /** Entries that overlap in the file can each inflate to its size: all reads together stay below this many files. */
    static final long MAX_TOTAL_READ_FACTOR = 2;

    private final ZipFile zip;
    private final String name;
    private final String folder;
    private final boolean torchScript;
    private final Map<String, ByteBuffer> storages = new HashMap<>();
    private final Map<String, StorageRef> storageRefs = new HashMap<>();
    private final long maxTotalRead;
    private long totalRead;

    private TorchZip(ZipFile zip, String name, String folder, boolean torchScript, long fileSize) {
        this.maxTotalRead = MAX_TOTAL_READ_FACTOR * fileSize + (1L << 20);
        this.zip = zip;
        this.name = name;
        this.folder = folder;
        this.torchScript = torchScript;
    }

    static TorchZip open(Path file) {
        String name = file.getFileName().toString();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new WeightsException(name + " is not a readable zip archive (truncated or corrupted?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            List<String> pickles = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (ZipEntry e : Collections.list(zip.entries())) {
                names.add(e.getName());
                if (e.getName().matches("[^/]+/data\\.pkl")) {
                    pickles.add(e.getName());
                }
            }
            if (pickles.size() != 1) {
                throw new WeightsException(name + " is a zip but not a torch checkpoint: expected exactly one "
                        + "<folder>/data.pkl entry, found " + (pickles.isEmpty() ? "none" : pickles));
            }
            String folder = pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
            boolean torchScript = names.stream().anyMatch(n -> n.startsWith(folder + "code/"));
            TorchZip archive = new TorchZip(zip, name, folder, torchScript, file.toFile().length());
            archive.requireLittleEndian();
            return archive;
        } catch (RuntimeException e) {
            closeQuietly(zip, e);
            throw e;
        }
    }

    /**
     * torch 2.x records the writer's byte order in {@code <folder>/byteorder}; storages are raw native-order bytes,
     * so a file written on a big-endian machine cannot be read as little-endian.
     */
    private void requireLittleEndian() {
        if (zip.getEntry(folder + "byteorder") == null) {
            return; // older writers: always little-endian
        }
        String order = new String(readEntry(folder + "byteorder", 16), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new WeightsException(name + " was written with byte order '" + order + "'; only little-endian "
                    + "checkpoints are supported");
        }
    }

    String name() {
        return name;
    }

    /** True for a TorchScript archive (it has a {@code code/} folder, which is never read). */
    boolean isTorchScript() {
        return torchScript;
    }

    /** Parses {@code data.pkl} with the {@link RestrictedUnpickler}. */
    Object unpickle() {
        return RestrictedUnpickler.load(readEntry(folder + "data.pkl", MAX_PICKLE_BYTES), name);
    }

    /** The tensor a {@link TensorRef} describes, reading (once) the storage entry it points into. */
    HostTensor tensor(TensorRef ref, String tensorName) {
        StorageRef s = ref.storage();
        StorageRef seen = storageRefs.putIfAbsent(s.key(), s);
        if (seen != null && !seen.equals(s)) {
            throw new WeightsException(name + ": storage '" + s.key() + "' is described both as " + seen + " and as "
                    + s);
        }
        ByteBuffer bytes = storages.get(s.key());
        if (bytes == null) {
            bytes = readStorage(s);
            storages.put(s.key(), bytes);
        }
        try {
            return TensorLayout.materialize(ref, bytes, tensorName);
        } catch (WeightsException e) {
            throw new WeightsException(name + ": " + e.getMessage(), e);
        }
    }

    private ByteBuffer readStorage(StorageRef s) {
        long expected;
        try {
            expected = Math.multiplyExact(s.numel(), s.dtype().bytes());
        } catch (ArithmeticException e) {
            throw new WeightsException(name + ": storage '" + s.key() + "' claims " + s.numel() + " elements");
        }
        String entry = folder + "data/" + s.key();
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new WeightsException(name + ": the pickle refers to storage entry " + entry + ", which is missing");
        }
        if (e.getSize() >= 0 && e.getSize() != expected) {
            throw new WeightsException(name + ": storage entry " + entry + " has " + e.getSize() + " bytes, but "
                    + s.numel() + " " + s.dtype() + " elements need " + expected);
        }
        byte[] data = readEntry(entry, expected);
        if (data.length != expected) {
            throw new WeightsException(name + ": storage entry " + entry + " has " + data.length + " bytes, but "
                    + s.numel() + " " + s.dtype() + " elements need " + expected);
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads a whole entry, refusing (rather than allocating) one larger than {@code limit}. */
    private byte[] readEntry(String entry, long limit) {
        ZipEntry e = zip.getEntry(entry);
        if (e.getSize() > limit) {
            throw new WeightsException(name + ": entry " + entry + " has " + e.getSize() + " bytes, more than the "
                    + limit + " allowed");
        }
        if (e.getMethod() != ZipEntry.STORED && e.getSize() > MAX_INFLATION_RATIO * Math.max(1, e.getCompressedSize()) + 4096) {
            throw new WeightsException(name + ": entry " + entry + " inflates " + e.getCompressedSize() + " bytes to "
                    + e.getSize() + "; the limit is " + MAX_INFLATION_RATIO + ":1 (zip bomb?)");
        }
        if (totalRead + Math.max(0, e.getSize()) > maxTotalRead) {
            throw new WeightsException(name + ": its entries hold more than " + maxTotalRead + " bytes in all, the limit "
                    + "for a file of this size (" + MAX_TOTAL_READ_FACTOR + "x; overlapping zip entries?)");
        }
        if (limit > Integer.MAX_VALUE - 8) {
            throw new WeightsException(name + ": entry " + entry + " is larger than 2 GiB, which this reader does "
                    + "not support");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) limit);
            if (e.getSize() >= 0 && data.length != e.getSize()) {
                throw new WeightsException(name + ": entry " + entry + " ends after " + data.length + " of its "
                        + e.getSize() + " bytes (truncated file?)");
            }
            if (data.length == limit && in.read() >= 0) {
                throw new WeightsException(name + ": entry " + entry + " is larger than the " + limit
                        + " bytes allowed");
            }
            totalRead += data.length;
            return data;
        } catch (IOException ex) {
            throw new WeightsException(name + ": cannot read entry " + entry + " (truncated or corrupted zip?): "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new WeightsException("cannot close " + name + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ZipFile zip, RuntimeException primary) {
        try {
            zip.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
