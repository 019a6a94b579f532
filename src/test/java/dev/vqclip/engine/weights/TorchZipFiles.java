package dev.vqclip.engine.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small torch-style zips (one folder, data.pkl, data/<key>) for tests that need a crafted checkpoint. */
final class TorchZipFiles {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final String folder;

    TorchZipFiles(String folder) {
        this.folder = folder;
    }

    TorchZipFiles pickle(byte[] pickle) {
        entries.put(folder + "/data.pkl", pickle);
        return this;
    }

    TorchZipFiles floatStorage(String key, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        entries.put(folder + "/data/" + key, b.array());
        return this;
    }

    TorchZipFiles entry(String nameInFolder, byte[] content) {
        entries.put(folder + "/" + nameInFolder, content);
        return this;
    }

    Path write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
