package dev.vqclip.testing;

import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.VqganConfigs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.vqgan.VqganConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real-model configs and key tables from the fixtures folder (tiny_configs.json, *.keys.tsv). */
public final class RealConfigs {
    private RealConfigs() {
    }

    public static VqganConfig vqganF16() {
        return VqganConfigs.fromMetadataJson(configs().get("vqgan_f16_16384_real").toString());
    }

    public static ClipConfig clipVitB32() {
        return ClipConfigs.fromMetadataJson(configs().get("clip_vit_b32_real").toString());
    }

    /** key -> shape from a keys.tsv: a header line, then {@code key \t dtype \t [a, b] ...}. */
    public static Map<String, long[]> keysTsv(String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(FixtureDir.get().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t");
            String dims = cols[2].replaceAll("[\\[\\] ]", "");
            out.put(cols[0], dims.isEmpty() ? new long[0]
                    : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray());
        }
        return out;
    }

    private static JsonNode configs() {
        try {
            return new ObjectMapper().readTree(FixtureDir.get().resolve("tiny_configs.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
