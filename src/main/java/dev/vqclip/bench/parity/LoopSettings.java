package dev.vqclip.bench.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.engine.optimize.AdamSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loop settings of a fixture folder: {@code tiny_configs.json → loop_tiny} (fixtures/SCHEMA.md): cut size and
 * count, the fixed crops ({size, x, y}), prompt weights and stops, the optimizer, the optional NR init_weight and the number of
 * recorded steps.
 */
record LoopSettings(int cutSize, int cutn, List<int[]> crops, double[] weights, double[] stops, AdamSettings adam,
                    double initWeight, int stepsRecorded) {
    static final String FILE = "tiny_configs.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    LoopSettings {
        crops = List.copyOf(crops);
        for (int[] c : crops) {
            if (c.length != 3) {
                throw new IllegalArgumentException("loop settings: a crop is [size, x, y], got " + c.length + " numbers");
            }
        }
        if (weights.length != stops.length) {
            throw new IllegalArgumentException("loop settings: " + weights.length + " prompt weights but "
                    + stops.length + " stops");
        }
        if (stepsRecorded < 1) {
            throw new IllegalArgumentException("loop settings: steps_recorded must be >= 1, got " + stepsRecorded);
        }
    }

    static LoopSettings read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read loop settings " + file, e);
        }
        JsonNode loop = required(root, "loop_tiny", file);
        List<int[]> crops = new ArrayList<>();
        for (JsonNode c : required(loop, "crops_size_offsetx_offsety", file)) {
            crops.add(new int[] {c.get(0).asInt(), c.get(1).asInt(), c.get(2).asInt()});
        }
        JsonNode w = required(loop, "prompt_weights", file);
        JsonNode s = required(loop, "prompt_stops", file);
        double[] weights = new double[w.size()];
        double[] stops = new double[s.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = w.get(i).asDouble();
        }
        for (int i = 0; i < stops.length; i++) {
            stops[i] = s.get(i).isTextual() ? Double.parseDouble(s.get(i).asText().replace("inf", "Infinity"))
                    : s.get(i).asDouble();
        }
        JsonNode o = required(loop, "optimizer", file);
        String name = required(o, "name", file).asText().toLowerCase(Locale.ROOT);
        if (o.path("amsgrad").asBoolean(false)) {
            throw new IllegalArgumentException(file + ": amsgrad is not supported");
        }
        if (!name.equals("adam") && !name.equals("adamw")) {
            throw new IllegalArgumentException(file + ": optimizer must be Adam or AdamW, got " + name);
        }
        JsonNode betas = required(o, "betas", file);
        AdamSettings adam = new AdamSettings(required(o, "lr", file).asDouble(), betas.get(0).asDouble(),
                betas.get(1).asDouble(), required(o, "eps", file).asDouble(), o.path("weight_decay").asDouble(0),
                name.equals("adamw"));
        return new LoopSettings(required(loop, "cut_size", file).asInt(), required(loop, "cutn", file).asInt(), crops,
                weights, stops, adam, loop.path("init_weight").asDouble(0), required(loop, "steps_recorded", file).asInt());
    }

    private static JsonNode required(JsonNode node, String key, Path file) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(file + ": missing '" + key + "'");
        }
        return v;
    }
}
