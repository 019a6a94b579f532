package dev.vqclip.engine.weights.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a file of a model is for, so the engine can ask for "the checkpoint of vqgan_imagenet_f16_16384"
 * without knowing file names: a taming OmegaConf yaml, a Lightning checkpoint, CLIP's TorchScript archive,
 * or the BPE merges.
 */
public enum FileRole {
    CONFIG, CHECKPOINT, WEIGHTS, VOCABULARY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FileRole of(String id) {
        return Arrays.stream(values())
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("file role must be one of "
                        + Arrays.toString(Arrays.stream(values()).map(FileRole::id).toArray())
                        + ", got '" + id + "'"));
    }
}
