package dev.vqclip.engine.weights.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** What a catalog entry is: a VQGAN (config + checkpoint), a CLIP model, or the CLIP tokenizer vocabulary. */
public enum ModelKind {
    VQGAN, CLIP, VOCAB;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ModelKind of(String id) {
        return Arrays.stream(values())
                .filter(k -> k.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "model kind must be one of " + Arrays.toString(ids()) + ", got '" + id + "'"));
    }

    private static String[] ids() {
        return Arrays.stream(values()).map(ModelKind::id).toArray(String[]::new);
    }
}
