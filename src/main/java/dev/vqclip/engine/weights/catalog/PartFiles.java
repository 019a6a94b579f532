package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files a download leaves next to its target while it runs: {@code FILE.part} holds the bytes so far and
 * {@code FILE.part.src} the url they came from.
 */
final class PartFiles {
    static final String PART = ".part";
    /** Remembers which url a part came from: bytes of different urls must not be spliced together. */
    static final String SOURCE = ".part.src";

    private PartFiles() {
    }

    static Path part(Path dir, ModelFile file) {
        return dir.resolve(file.file() + PART);
    }

    static Path source(Path dir, ModelFile file) {
        return dir.resolve(file.file() + SOURCE);
    }

    /** Bytes of {@code part} that may be resumed from {@code url}; deletes a part of another origin. */
    static long resumableBytes(Path part, Path source, URI url) {
        try {
            if (!Files.isRegularFile(part)) {
                return 0;
            }
            boolean sameOrigin = Files.isRegularFile(source)
                    && Files.readString(source, StandardCharsets.UTF_8).trim().equals(url.toString());
            if (!sameOrigin) {
                Files.delete(part);
                return 0;
            }
            return Files.size(part);
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot inspect " + part.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Renames a verified part to its final name, atomically where the file system can. */
    static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale part is harmless: the next attempt checks its origin and its hash
        }
    }
}
