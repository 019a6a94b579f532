package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import dev.vqclip.engine.weights.catalog.FileCheck.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models directory: which catalog files are there, getting the missing ones, and checking the present
 * ones. A file that is on disk with a current {@code FILE.sha256} record matching the catalog is trusted
 * without re-hashing; one put there by hand is hashed once, checked, and recorded.
 */
public final class ModelStore {
    /** What {@code models list} shows per file. */
    public enum Presence { PRESENT, PARTIAL, MISSING }

    private final ModelCatalog catalog;
    private final Path directory;
    private final Downloader downloader;

    public ModelStore(ModelCatalog catalog, Path directory, Downloader downloader) {
        this.catalog = catalog;
        this.directory = directory;
        this.downloader = downloader;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public Path directory() {
        return directory;
    }

    public Path pathOf(ModelFile file) {
        return directory.resolve(file.file());
    }

    public Presence presence(ModelFile file) {
        if (Files.isRegularFile(pathOf(file))) {
            return Presence.PRESENT;
        }
        return Files.isRegularFile(directory.resolve(file.file() + ".part")) ? Presence.PARTIAL : Presence.MISSING;
    }

    /**
     * The model called {@code nameOrAlias} with all its files, and those of the entries it requires, on disk
     * and verified; downloads what is missing. Synchronized: two jobs asking for the same model at once
     * must not write one part file together.
     */
    public synchronized InstalledModel ensure(String nameOrAlias) {
        ModelEntry entry = catalog.find(nameOrAlias);
        Map<FileRole, Path> files = new EnumMap<>(FileRole.class);
        // requirements first, so the entry's own file wins should a requirement share a role
        for (ModelEntry e : catalog.withRequirements(entry)) {
            for (ModelFile f : e.files()) {
                files.put(f.role(), ensureFile(f));
            }
        }
        return new InstalledModel(entry, files);
    }

    private Path ensureFile(ModelFile file) {
        Path path = pathOf(file);
        if (!Files.isRegularFile(path)) {
            return downloader.download(file, directory);
        }
        try {
            Optional<String> recorded = ChecksumRecord.read(path);
            boolean recordAgrees = recorded.isPresent()
                    && file.pinnedSha256().map(recorded.get()::equals).orElse(true);
            if (recordAgrees && ChecksumRecord.isCurrent(path)) {
                return path;
            }
            String actual = Sha256.ofFile(path);
            Optional<String> expected = file.pinnedSha256().or(() -> recorded);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                throw new DownloadException(Reason.CHECKSUM_MISMATCH, path.toAbsolutePath() + " has sha256 "
                        + actual + " but " + (file.pinnedSha256().isPresent() ? "the catalog expects "
                        : "its first download recorded ") + expected.get()
                        + ": delete it so vqclip downloads it again, or replace it with the right file");
            }
            ChecksumRecord.write(path, actual);
            return path;
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot check " + path.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Re-hashes every file of {@code nameOrAlias} and of what it requires. */
    public List<FileCheck> verify(String nameOrAlias) {
        List<FileCheck> checks = new ArrayList<>();
        for (ModelEntry e : catalog.withRequirements(catalog.find(nameOrAlias))) {
            for (ModelFile f : e.files()) {
                checks.add(check(e, f));
            }
        }
        return checks;
    }

    /** Re-hashes every catalog file that is on disk. */
    public List<FileCheck> verifyPresent() {
        List<FileCheck> checks = new ArrayList<>();
        for (ModelEntry e : catalog.entries()) {
            for (ModelFile f : e.files()) {
                if (Files.isRegularFile(pathOf(f))) {
                    checks.add(check(e, f));
                }
            }
        }
        return checks;
    }

    private FileCheck check(ModelEntry entry, ModelFile file) {
        Path path = pathOf(file);
        if (!Files.isRegularFile(path)) {
            return new FileCheck(entry.name(), file, path, Status.MISSING, file.sha256(), null);
        }
        try {
            String actual = Sha256.ofFile(path);
            Optional<String> expected = file.pinnedSha256().or(() -> readRecord(path));
            if (expected.isEmpty()) {
                ChecksumRecord.write(path, actual);
                return new FileCheck(entry.name(), file, path, Status.RECORDED, null, actual);
            }
            if (!expected.get().equals(actual)) {
                return new FileCheck(entry.name(), file, path, Status.MISMATCH, expected.get(), actual);
            }
            ChecksumRecord.write(path, actual);
            return new FileCheck(entry.name(), file, path, Status.OK, expected.get(), actual);
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot read " + path.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Optional<String> readRecord(Path path) {
        try {
            return ChecksumRecord.read(path);
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot read the checksum record of "
                    + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
