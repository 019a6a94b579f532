package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the safetensors format: u64 little-endian header length, a JSON header of
 * {@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__} string map, then raw
 * little-endian data. Tensors are memory-mapped one by one, so files larger than 2 GiB work too.
 */
public final class SafetensorsReader {
    private static final long MAX_HEADER = 100L * 1024 * 1024;
    /** Far above real models (CLIP ViT-L/14: ~400 tensors); each tensor is one memory map, and maps are few per process. */
    static final int MAX_TENSORS = 10_000;
    private static final int MAX_DIMS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsReader() {
    }

    public static StateDict read(Path file) {
        String name = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new WeightsException(name + " is not a safetensors file: only " + size + " bytes");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new WeightsException(name + " is not a safetensors file: header length " + headerLen
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new WeightsException(name + " has a malformed safetensors header: " + e.getMessage(), e);
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, HostTensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            if (header == null || !header.isObject()) {
                throw new WeightsException(name + " has a malformed safetensors header: not a JSON object");
            }
            int count = header.size() - (header.has("__metadata__") ? 1 : 0);
            if (count > MAX_TENSORS) {
                throw new WeightsException(name + " lists " + count + " tensors; the limit is " + MAX_TENSORS);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = e.getValue();
                DType dtype = DType.fromSafetensors(t.path("dtype").asText());
                long[] shape = shape(name, e.getKey(), t.path("shape"));
                long begin = t.path("data_offsets").path(0).asLong(-1);
                long end = t.path("data_offsets").path(1).asLong(-1);
                if (begin < 0 || end < begin || end > dataLen) {
                    throw new WeightsException(name + ": tensor '" + e.getKey() + "' has data_offsets [" + begin + ", "
                            + end + "] outside the data section of " + dataLen + " bytes (truncated file?)");
                }
                if (end - begin > Integer.MAX_VALUE) {
                    throw new WeightsException(name + ": tensor '" + e.getKey() + "' has " + (end - begin)
                            + " bytes; the limit is " + Integer.MAX_VALUE + " bytes (2 GiB) per tensor");
                }
                ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin);
                try {
                    tensors.put(e.getKey(), new HostTensor(dtype, shape, data));
                } catch (WeightsException ex) {
                    throw new WeightsException(name + ": tensor '" + e.getKey() + "': " + ex.getMessage(), ex);
                }
            }
            return new StateDict(tensors, metadata, name);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] shape(String file, String tensor, JsonNode node) {
        if (!node.isArray() || node.size() > MAX_DIMS) {
            throw new WeightsException(file + ": tensor '" + tensor + "' has shape " + node
                    + "; a shape is a list of at most " + MAX_DIMS + " non-negative integers");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new WeightsException(file + ": tensor '" + tensor + "' has shape " + node
                        + "; a shape is a list of at most " + MAX_DIMS + " non-negative integers");
            }
            shape[i] = d.longValue();
        }
        return shape;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
