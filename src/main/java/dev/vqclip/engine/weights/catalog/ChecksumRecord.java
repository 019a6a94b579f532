package dev.vqclip.engine.weights.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The hash vqclip computed for a model file, kept next to it as {@code FILE.sha256} in {@code sha256sum}
 * format ({@code <hex>  <file>}) so that {@code sha256sum -c} can check it too. For files whose checksum
 * upstream does not publish this is the trust-on-first-use record; for pinned files it marks the file as
 * already verified, so that starting a model does not re-hash a gigabyte every time.
 */
final class ChecksumRecord {
    static final String SUFFIX = ".sha256";

    private ChecksumRecord() {
    }

    static Path pathFor(Path file) {
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    static void write(Path file, String sha256) throws IOException {
        Files.writeString(pathFor(file), sha256 + "  " + file.getFileName() + "\n", StandardCharsets.UTF_8);
    }

    /** The recorded hash, or empty when there is no record or it is not in the expected format. */
    static Optional<String> read(Path file) throws IOException {
        Path record = pathFor(file);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        String line = Files.readString(record, StandardCharsets.UTF_8).trim();
        int space = line.indexOf(' ');
        String hex = space < 0 ? line : line.substring(0, space);
        return Sha256.isHex(hex) ? Optional.of(hex) : Optional.empty();
    }

    /** True when the record exists and was written after the file last changed. */
    static boolean isCurrent(Path file) throws IOException {
        Path record = pathFor(file);
        return Files.isRegularFile(record)
                && Files.getLastModifiedTime(record).compareTo(Files.getLastModifiedTime(file)) >= 0;
    }
}
