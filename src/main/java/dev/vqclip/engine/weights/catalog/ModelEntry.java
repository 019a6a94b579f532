package dev.vqclip.engine.weights.catalog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named model of the catalog: its kind, the files it consists of, other names it is known by, and the
 * entries installed with it (CLIP requires its BPE vocabulary).
 */
public record ModelEntry(
        String name,
        ModelKind kind,
        String description,
        List<String> aliases,
        List<String> requires,
        List<ModelFile> files) {

    public ModelEntry {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a catalog entry needs a name");
        }
        Objects.requireNonNull(kind, () -> "catalog entry " + name + " needs a kind");
        description = description == null ? "" : description;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        requires = requires == null ? List.of() : List.copyOf(requires);
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("catalog entry " + name + " lists no files");
        }
        files = List.copyOf(files);
        if (files.stream().map(ModelFile::role).distinct().count() != files.size()) {
            throw new IllegalArgumentException("catalog entry " + name + " lists a file role twice: "
                    + files.stream().map(ModelFile::role).toList());
        }
        if (kind == ModelKind.CLIP && requires.isEmpty()) {
            throw new IllegalArgumentException(
                    "CLIP entry " + name + " must require its tokenizer vocabulary (requires: [...])");
        }
    }

    public Optional<ModelFile> file(FileRole role) {
        return files.stream().filter(f -> f.role() == role).findFirst();
    }

    /** Sum of the known file sizes; approximate when any size is approximate or unknown. */
    public long knownSize() {
        return files.stream().map(ModelFile::size).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }

    public boolean sizeExact() {
        return files.stream().allMatch(f -> f.size() != null && !f.sizeApprox());
    }
}
