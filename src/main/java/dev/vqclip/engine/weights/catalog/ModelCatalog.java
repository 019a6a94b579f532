package dev.vqclip.engine.weights.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The models vqclip knows how to fetch, read from {@code config/models.yaml}. Names and aliases are
 * looked up case-insensitively ("vit-b/32" finds ViT-B/32) and must be unique across the catalog, as must
 * file names (two entries writing one file would overwrite each other).
 */
public final class ModelCatalog {
    /** Where the catalog lives in a checkout, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "models.yaml");
    /** The copy the build places on the classpath (pom: resources from config/). */
    public static final String CLASSPATH_RESOURCE = "/dev/vqclip/engine/weights/catalog/models.yaml";

    private final List<ModelEntry> entries;
    private final Map<String, ModelEntry> byKey;
    private final String source;

    private ModelCatalog(List<ModelEntry> entries, String source) {
        this.entries = List.copyOf(entries);
        this.source = source;
        this.byKey = index(this.entries, source);
        checkRequirements();
        checkFileNamesUnique();
    }

    public static ModelCatalog of(List<ModelEntry> entries, String source) {
        return new ModelCatalog(entries, source);
    }

    public static ModelCatalog load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new CatalogException("cannot read model catalog " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code config/models.yaml} under the working directory when present, else the copy in the jar. */
    public static ModelCatalog loadDefault() {
        if (Files.isRegularFile(DEFAULT_FILE)) {
            return load(DEFAULT_FILE);
        }
        try (InputStream in = ModelCatalog.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new CatalogException("no model catalog: neither " + DEFAULT_FILE.toAbsolutePath()
                        + " nor the classpath resource " + CLASSPATH_RESOURCE + " exists");
            }
            return parse(in, "classpath:" + CLASSPATH_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelCatalog parse(InputStream yaml, String source) {
        // an absent size_approx reads as false; unknown keys fail (a typo must not pass silently)
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            Document doc = mapper.readValue(yaml, Document.class);
            if (doc == null || doc.models() == null || doc.models().isEmpty()) {
                throw new CatalogException("model catalog " + source + " has no 'models:' entries");
            }
            return new ModelCatalog(doc.models(), source);
        } catch (JacksonException e) {
            throw new CatalogException("model catalog " + source + " is invalid: " + e.getOriginalMessage()
                    + locationOf(e), e);
        } catch (IOException e) {
            throw new CatalogException("cannot read model catalog " + source + ": " + e.getMessage(), e);
        }
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    /** The entry called {@code nameOrAlias}, or an error listing every known name. */
    public ModelEntry find(String nameOrAlias) {
        ModelEntry entry = nameOrAlias == null ? null : byKey.get(key(nameOrAlias));
        if (entry == null) {
            throw new CatalogException("unknown model '" + nameOrAlias + "'; known models: "
                    + String.join(", ", names()) + " (see " + source + ")");
        }
        return entry;
    }

    /** {@code entry} preceded by everything it requires, each once, requirements first. */
    public List<ModelEntry> withRequirements(ModelEntry entry) {
        Set<ModelEntry> ordered = new LinkedHashSet<>();
        collect(entry, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private void collect(ModelEntry entry, Set<ModelEntry> ordered, Set<String> visiting) {
        if (!visiting.add(entry.name())) {
            throw new CatalogException("model catalog " + source + " has a requirement cycle: "
                    + String.join(" -> ", visiting) + " -> " + entry.name());
        }
        for (String required : entry.requires()) {
            collect(find(required), ordered, visiting);
        }
        visiting.remove(entry.name());
        ordered.add(entry);
    }

    public List<ModelEntry> entries() {
        return entries;
    }

    public List<String> names() {
        return entries.stream().map(ModelEntry::name).toList();
    }

    public String source() {
        return source;
    }

    private static Map<String, ModelEntry> index(List<ModelEntry> entries, String source) {
        Map<String, ModelEntry> byKey = new HashMap<>();
        for (ModelEntry entry : entries) {
            List<String> keys = new ArrayList<>();
            keys.add(entry.name());
            keys.addAll(entry.aliases());
            for (String name : keys) {
                ModelEntry previous = byKey.putIfAbsent(key(name), entry);
                if (previous != null && previous != entry) {
                    throw new CatalogException("model catalog " + source + ": the name '" + name
                            + "' is used by both " + previous.name() + " and " + entry.name());
                }
            }
        }
        return byKey;
    }

    private void checkRequirements() {
        for (ModelEntry entry : entries) {
            for (String required : entry.requires()) {
                if (!byKey.containsKey(key(required))) {
                    throw new CatalogException("model catalog " + source + ": " + entry.name()
                            + " requires '" + required + "', which is not in the catalog");
                }
            }
            withRequirements(entry);
        }
    }

    private void checkFileNamesUnique() {
        Map<String, String> owner = new HashMap<>();
        for (ModelEntry entry : entries) {
            for (ModelFile file : entry.files()) {
                String previous = owner.putIfAbsent(key(file.file()), entry.name());
                if (previous != null) {
                    throw new CatalogException("model catalog " + source + ": file name " + file.file()
                            + " is used by both " + previous + " and " + entry.name());
                }
            }
        }
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /** The YAML document's shape. */
    private record Document(List<ModelEntry> models) {
    }
}
