package dev.vqclip.engine.weights.catalog;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model whose files are on disk and verified: the entry asked for, plus the path of each file by role,
 * including those of its requirements (a CLIP model's {@link FileRole#VOCABULARY}).
 */
public record InstalledModel(ModelEntry entry, Map<FileRole, Path> files) {

    public InstalledModel {
        Objects.requireNonNull(entry, "entry");
        files = Map.copyOf(new EnumMap<>(files));
        for (ModelFile f : entry.files()) {
            if (!files.containsKey(f.role())) {
                throw new IllegalArgumentException(entry.name() + " is installed without its " + f.role().id()
                        + " file " + f.file());
            }
        }
    }

    /** The path of the file with {@code role}, or an error naming the roles this model has. */
    public Path path(FileRole role) {
        Path p = files.get(role);
        if (p == null) {
            throw new IllegalArgumentException(entry.name() + " has no " + role.id() + " file; it has "
                    + files.keySet());
        }
        return p;
    }
}
