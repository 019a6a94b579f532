package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a taming-transformers model config ({@code configs/*.yaml}, e.g. {@code vqgan_imagenet_f16_16384.yaml}, which
 * is published next to each checkpoint). Only the model part is read; the {@code data:} and {@code lossconfig}
 * sections are ignored. YAML 1.1 spellings taming uses ({@code False}, flow lists like {@code [ 1,2,2 ]}) are fine.
 */
public final class TamingYaml {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TamingYaml() {
    }

    public static TamingConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new WeightsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (WeightsException e) {
            throw new WeightsException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public static TamingConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new WeightsException("not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightsException("a taming config must be a YAML mapping");
        }
        return TamingConfig.fromTree(root);
    }
}
