package dev.vqclip.engine.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Generators of hostile torch checkpoints (pickle floods, zip bombs, overlapping entries, stride-0 views). */
final class HostileCheckpoints {
    private HostileCheckpoints() {
    }
    static byte[] repeated(int opcode, int n) {
        byte[] b = new byte[n + 3];
        b[0] = (byte) 0x80;
        b[1] = 2;
        java.util.Arrays.fill(b, 2, n + 2, (byte) opcode);
        b[n + 2] = '.';
        return b;
    }
    /** EMPTY_DICT, then LONG_BINPUT to ever new indices. */
    static byte[] memoFlood(int n) {
        PickleBytes p = PickleBytes.proto2().emptyDict();
        for (int i = 0; i < n; i++) {
            p.op('r').int32(i);
        }
        return p.stop().bytes();
    }
    static Path ckpt(Path dir, String name, byte[] pickle, boolean deflate) throws IOException {
        Path f = dir.resolve(name + ".ckpt");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
            ZipEntry e = new ZipEntry("archive/data.pkl");
            if (!deflate) {
                stored(e, pickle);
            }
            zip.putNextEntry(e);
            zip.write(pickle);
            zip.closeEntry();
        }
        return f;
    }
    private static void stored(ZipEntry e, byte[] content) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(content);
        e.setMethod(ZipEntry.STORED);
        e.setSize(content.length);
        e.setCompressedSize(content.length);
        e.setCrc(crc.getValue());
    }
    /** A state dict whose one float storage of 64 MiB of zeros is deflated (~1000:1). */
    static Path storageBomb(Path dir) throws IOException {
        int numel = 16 << 20;
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("FloatStorage", "0", numel, 0, new long[] {numel}, new long[] {1}).op('s').stop().bytes();
        Path f = dir.resolve("storagebomb.ckpt");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
            ZipEntry p = new ZipEntry("archive/data.pkl");
            stored(p, pickle);
            zip.putNextEntry(p);
            zip.write(pickle);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("archive/data/0"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < numel * 4; i += zeros.length) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return f;
    }
    /** One float, viewed as [100000, 100] with strides (0, 0): 40 MB if expanded. */
    static Path strideZero(Path dir) throws IOException {
        byte[] pickle = PickleBytes.proto2().emptyDict().str("w")
                .tensor("FloatStorage", "0", 1, 0, new long[] {100_000, 100}, new long[] {0, 0}).op('s').stop().bytes();
        Path f = dir.resolve("stride0.ckpt");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream zip = new ZipOutputStream(os)) {
            ZipEntry p = new ZipEntry("archive/data.pkl");
            stored(p, pickle);
            zip.putNextEntry(p);
            zip.write(pickle);
            zip.closeEntry();
            byte[] one = new byte[4];
            ZipEntry s = new ZipEntry("archive/data/0");
            stored(s, one);
            zip.putNextEntry(s);
            zip.write(one);
            zip.closeEntry();
        }
        return f;
    }
    /**
     * A checkpoint of {@code k} tensors whose storage entries {@code data/0..k-1} all point at the same stored bytes
     * in the file (extra central-directory records for one local entry): k times the file if each were read.
     */
    static Path overlapping(Path dir, int k, int numel) throws IOException {
        PickleBytes p = PickleBytes.proto2().emptyDict().mark();
        for (int i = 0; i < k; i++) {
            p.str("w" + i).tensor("FloatStorage", Integer.toString(i), numel, 0, new long[] {numel}, new long[] {1});
        }
        byte[] pickle = p.setitems().stop().bytes();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            ZipEntry pe = new ZipEntry("archive/data.pkl");
            stored(pe, pickle);
            zip.putNextEntry(pe);
            zip.write(pickle);
            zip.closeEntry();
            byte[] data = new byte[numel * 4];
            new SplittableRandom(7).nextBytes(data);
            ZipEntry se = new ZipEntry("archive/data/0");
            stored(se, data);
            zip.putNextEntry(se);
            zip.write(data);
            zip.closeEntry();
        }
        ByteBuffer z = ByteBuffer.wrap(zipped.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = z.limit() - 22;
        int cdSize = z.getInt(eocd + 12);
        int cdOffset = z.getInt(eocd + 16);
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        cd.write(z.array(), cdOffset, cdSize);
        byte[] storageRecord = null;
        for (int at = cdOffset; at < cdOffset + cdSize; ) {
            int nameLen = z.getShort(at + 28) & 0xFFFF;
            int len = 46 + nameLen + (z.getShort(at + 30) & 0xFFFF) + (z.getShort(at + 32) & 0xFFFF);
            String name = new String(z.array(), at + 46, nameLen, StandardCharsets.UTF_8);
            if (name.equals("archive/data/0")) {
                storageRecord = java.util.Arrays.copyOfRange(z.array(), at, at + len);
            }
            at += len;
        }
        for (int i = 1; i < k; i++) {
            byte[] name = ("archive/data/" + i).getBytes(StandardCharsets.UTF_8);
            ByteBuffer rec = ByteBuffer.allocate(46 + name.length).order(ByteOrder.LITTLE_ENDIAN);
            rec.put(storageRecord, 0, 46).putShort(28, (short) name.length).putShort(30, (short) 0).putShort(32, (short) 0);
            rec.position(46);
            rec.put(name);
            cd.write(rec.array(), 0, rec.capacity());
        }
        ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) (k + 1)).putShort((short) (k + 1))
                .putInt(cd.size()).putInt(cdOffset).putShort((short) 0);
        Path f = dir.resolve("overlapping.ckpt");
        try (OutputStream os = Files.newOutputStream(f)) {
            os.write(z.array(), 0, cdOffset);
            cd.writeTo(os);
            os.write(end.array());
        }
        return f;
    }
}
