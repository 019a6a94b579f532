package dev.vqclip.engine;

import ai.djl.Device;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.clip.ClipTokenizer;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.vqgan.VqganConfig;
import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.ModelFiles;
import dev.vqclip.engine.weights.StateDict;
import dev.vqclip.engine.weights.TamingYaml;
import dev.vqclip.engine.weights.VqganConfigs;
import dev.vqclip.engine.weights.WeightsException;
import dev.vqclip.engine.weights.catalog.DownloadSettings;
import dev.vqclip.engine.weights.catalog.Downloader;
import dev.vqclip.engine.weights.catalog.FileRole;
import dev.vqclip.engine.weights.catalog.InstalledModel;
import dev.vqclip.engine.weights.catalog.ModelCatalog;
import dev.vqclip.engine.weights.catalog.ModelStore;
import dev.vqclip.engine.weights.catalog.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a user's {@code --vqgan}/{@code --clip} value (a catalog name or a file path) into loaded models, and
 * keeps them loaded: a worker asks for the same models job after job. Catalog models are downloaded on first
 * use through the {@link ModelStore}. Owns every model it loaded; {@link #close()} frees them.
 */
public final class ModelRepository implements AutoCloseable {
    private static final String VOCAB_ENTRY = "bpe_simple_vocab_16e6";

    /** A loaded VQGAN with the sha256 of the file it came from (recorded in every image's recipe). */
    public record LoadedVqgan(String name, Vqgan model, String sha256) { }

    /** A loaded CLIP with its tokenizer and the sha256 of its weights file. */
    public record LoadedClip(String name, ClipModel model, ClipTokenizer tokenizer, String sha256) { }

    private final ModelStore store;
    private final Device device;
    private final Map<String, LoadedVqgan> vqgans = new HashMap<>();
    private final Map<String, LoadedClip> clips = new HashMap<>();

    /** @param store the catalog store for names; null when only file paths may be used */
    /**
     * A repository over the model catalog in {@code modelsDir}: catalog names are downloaded there on first use
     * (progress on {@code downloadProgress}); file paths are loaded as they are.
     *
     * @param device "cpu" or "gpu"
     */
    public static ModelRepository open(Path modelsDir, String device, java.io.PrintWriter downloadProgress) {
        Downloader downloader = new Downloader(DownloadSettings.defaults(), Clock.systemUTC(), downloadProgress);
        return new ModelRepository(new ModelStore(ModelCatalog.loadDefault(), modelsDir, downloader), Devices.parse(device));
    }

    public ModelRepository(ModelStore store, Device device) {
        this.store = store;
        this.device = device;
    }

    public Device device() {
        return device;
    }

    public synchronized LoadedVqgan vqgan(String nameOrPath) {
        LoadedVqgan cached = vqgans.get(nameOrPath);
        if (cached != null) {
            return cached;
        }
        Path checkpoint;
        Path yaml;
        Path file = localFile(nameOrPath, "--vqgan");
        if (file != null) {
            checkpoint = file;
            yaml = sibling(file, ".yaml");
        } else {
            InstalledModel m = catalogModel(nameOrPath, "VQGAN");
            checkpoint = m.path(FileRole.CHECKPOINT);
            yaml = m.path(FileRole.CONFIG);
        }
        StateDict weights = ModelFiles.readStateDict(checkpoint);
        VqganConfig config = named(checkpoint, () -> vqganConfig(weights, yaml));
        LoadedVqgan loaded = new LoadedVqgan(nameOrPath, Vqgan.load(weights, config, device), sha256(checkpoint));
        vqgans.put(nameOrPath, loaded);
        return loaded;
    }

    public synchronized LoadedClip clip(String nameOrPath) {
        LoadedClip cached = clips.get(nameOrPath);
        if (cached != null) {
            return cached;
        }
        Path weightsFile;
        Path vocabulary = null;
        Path file = localFile(nameOrPath, "--clip");
        if (file != null) {
            weightsFile = file;
        } else {
            InstalledModel m = catalogModel(nameOrPath, "CLIP");
            weightsFile = m.files().containsKey(FileRole.WEIGHTS) ? m.path(FileRole.WEIGHTS) : m.path(FileRole.CHECKPOINT);
            vocabulary = m.files().get(FileRole.VOCABULARY);
        }
        StateDict weights = ModelFiles.readStateDict(weightsFile);
        String meta = weights.metadata().get("config");
        ClipConfig config = named(weightsFile,
                () -> meta != null ? ClipConfigs.fromMetadataJson(meta) : ClipConfigs.inferFromShapes(weights));
        ClipTokenizer tokenizer = tokenizerFor(config, weightsFile, vocabulary);
        tokenizer.requireCompatible(config);
        LoadedClip loaded = new LoadedClip(nameOrPath, ClipModel.load(weights, config, device), tokenizer, sha256(weightsFile));
        clips.put(nameOrPath, loaded);
        return loaded;
    }

    /**
     * The vocabulary for a CLIP: the catalog's for catalog models; for a file, {@code <stem>.vocab.txt.gz} next to it,
     * else the official vocabulary (from the store) when the model has the official vocabulary size, else the
     * bundled tiny vocabulary for 64-token test models.
     */
    private ClipTokenizer tokenizerFor(ClipConfig config, Path weightsFile, Path vocabulary) {
        try {
            if (vocabulary != null) {
                return ClipTokenizer.fromMergesFile(vocabulary);
            }
            Path own = sibling(weightsFile, ".vocab.txt.gz");
            if (own != null) {
                return ClipTokenizer.fromMergesFile(own);
            }
            if (config.vocabSize() == 64) {
                return ClipTokenizer.tiny64();
            }
            Path official = weightsFile.resolveSibling(VOCAB_ENTRY + ".txt.gz");
            if (Files.isRegularFile(official)) {
                return ClipTokenizer.fromMergesFile(official);
            }
            if (store != null) {
                return ClipTokenizer.fromMergesFile(store.ensure(VOCAB_ENTRY).path(FileRole.VOCABULARY));
            }
            throw new WeightsException("no tokenizer vocabulary for " + weightsFile.getFileName() + " (vocab size "
                    + config.vocabSize() + "): put " + VOCAB_ENTRY + ".txt.gz next to it");
        } catch (IOException | IllegalArgumentException e) {
            throw new WeightsException("cannot read the tokenizer vocabulary for " + weightsFile.getFileName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The model file {@code nameOrPath} names, or null when it is a catalog name. A name that exists but is not a
     * regular file (a folder, device or FIFO) or that looks like a file name but does not exist is refused here,
     * rather than looked up in the catalog.
     */
    private static Path localFile(String nameOrPath, String option) {
        Path file;
        try {
            file = Path.of(nameOrPath);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (Files.exists(file)) {
            throw new WeightsException(option + " " + nameOrPath + " is not a regular file (a folder, device or pipe)");
        }
        String lower = nameOrPath.toLowerCase(java.util.Locale.ROOT);
        boolean looksLikeFile = lower.startsWith("/") || lower.startsWith("./") || lower.startsWith("../")
                || lower.matches(".*\\.(ckpt|safetensors|pt|pth|bin)$");
        if (looksLikeFile) {
            throw new WeightsException(option + " " + nameOrPath + ": no such file");
        }
        return null;
    }

    private static VqganConfig vqganConfig(StateDict weights, Path yaml) {
        String meta = weights.metadata().get("config");
        if (meta != null) {
            return VqganConfigs.fromMetadataJson(meta);
        }
        if (yaml != null) {
            return TamingYaml.read(yaml).toVqganConfig();
        }
        return VqganConfigs.inferFromShapes(weights);
    }

    private InstalledModel catalogModel(String name, String kind) {
        if (store == null) {
            throw new WeightsException(kind + " '" + name + "' is neither a file nor usable as a catalog name here");
        }
        return store.ensure(name);
    }

    /** {@code dir/stem<suffix>} where stem drops the last extension (and ".weights"), if that file exists. */
    /** A config error that does not name its file gets the file's name in front. */
    private static <T> T named(Path file, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (WeightsException e) {
            String name = file.getFileName().toString();
            if (e.getMessage() != null && e.getMessage().contains(name)) {
                throw e;
            }
            throw new WeightsException(name + ": " + e.getMessage(), e);
        }
    }

    private static Path sibling(Path file, String suffix) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        for (String s : new String[] {stem, stem.replaceFirst("\\.weights$", "")}) {
            Path p = file.resolveSibling(s + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String sha256(Path file) {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Frees what only setting a job up needs, in every model loaded so far: CLIP's text tower and the VQGAN's encoder
     * (see {@link EngineRenderer.Options#oneJob()}). The models stay loaded for rendering; encoding text or images
     * with them fails afterwards.
     */
    public synchronized void releaseSetupWeights() {
        vqgans.values().forEach(v -> v.model().releaseEncoder());
        clips.values().forEach(c -> c.model().releaseTextTower());
    }

    @Override
    public synchronized void close() {
        vqgans.values().forEach(v -> v.model().close());
        clips.values().forEach(c -> c.model().close());
        vqgans.clear();
        clips.clear();
    }
}
