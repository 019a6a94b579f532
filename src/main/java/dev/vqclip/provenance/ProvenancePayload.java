package dev.vqclip.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The recipe an image carries (in the LSB layer and the PNG text chunks). The first six JSON keys are those of
 * the 2021 notebooks' Stegano payload, in their order ({@code title, notebook, i, model, seed, input_images}),
 * so their decoders understand ours; the rest are ours.
 *
 * @param title        the prompts joined with " | " (null when there are none), as the notebooks wrote it
 * @param notebook     "VQGAN+CLIP" for the notebook lineage
 * @param i            the iteration the image shows
 * @param model        VQGAN model display name
 * @param seed         the seed, as a string like the notebooks
 * @param inputImages  whether an init or target image was used (written {@code ""} / {@code true} as they did)
 * @param prompts      text prompts with weights (empty for notebook-era payloads)
 * @param width        image width the recipe asked for (0 = unknown)
 * @param height       image height (0 = unknown)
 * @param iterations   total iterations of the run (0 = unknown)
 * @param drawer       "vqgan" or "pixel" (null = unknown)
 * @param clipModel    CLIP model name (null = unknown)
 * @param modelHashes  model name -> SHA-256 of its weights
 * @param jobId        the job id, also carried by the robust watermark (null = none)
 * @param version      the software that made the image, e.g. "vqclip 0.1.0" (null = unknown)
 * @param settings     any further recipe settings (JSON values: strings, numbers, booleans, lists, maps)
 */
public record ProvenancePayload(String title, String notebook, int i, String model, String seed, boolean inputImages,
                                List<Prompt> prompts, int width, int height, int iterations, String drawer,
                                String clipModel, Map<String, String> modelHashes, Long jobId, String version,
                                Map<String, Object> settings) {

    public static final String NOTEBOOK = "VQGAN+CLIP";

    /** One weighted text prompt. */
    public record Prompt(String text, double weight) {
        public Prompt {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("prompt text must not be empty");
            }
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("prompt weight must be finite, got " + weight);
            }
        }
    }

    public ProvenancePayload {
        notebook = notebook == null ? NOTEBOOK : notebook;
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
        modelHashes = modelHashes == null ? Map.of() : Map.copyOf(modelHashes);
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        if (i < 0) {
            throw new IllegalArgumentException("iteration i must be >= 0, got " + i);
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be >= 0 (0 = unknown), got " + width + "x" + height);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (jobId != null && (jobId < 0 || jobId > WatermarkPayload.MAX_JOB_ID)) {
            throw new IllegalArgumentException("job id must be in 0.." + WatermarkPayload.MAX_JOB_ID + ", got " + jobId);
        }
    }

    /** The notebooks' title: prompt texts joined with " | ", or null without prompts. */
    public static String titleOf(List<Prompt> prompts) {
        return prompts.isEmpty() ? null : prompts.stream().map(Prompt::text).collect(Collectors.joining(" | "));
    }

    public ProvenancePayload withJobId(long id) {
        return new ProvenancePayload(title, notebook, i, model, seed, inputImages, prompts, width, height, iterations,
                drawer, clipModel, modelHashes, id, version, settings);
    }

    /** The payload as an ordered JSON object. */
    public ObjectNode toJsonNode() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("title", title);
        o.put("notebook", notebook);
        o.put("i", i);
        o.put("model", model);
        o.put("seed", seed);
        if (inputImages) {
            o.put("input_images", true);
        } else {
            o.put("input_images", "");
        }
        ArrayNode list = o.putArray("prompts");
        for (Prompt p : prompts) {
            list.addObject().put("text", p.text()).put("weight", p.weight());
        }
        o.put("width", width);
        o.put("height", height);
        o.put("iterations", iterations);
        o.put("drawer", drawer);
        o.put("clip_model", clipModel);
        ObjectNode hashes = o.putObject("model_hashes");
        modelHashes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> hashes.put(e.getKey(), e.getValue()));
        if (jobId == null) {
            o.putNull("job_id");
        } else {
            o.put("job_id", jobId);
        }
        o.put("version", version);
        o.set("settings", PythonStyleJson.mapper().valueToTree(settings));
        return o;
    }

    /** Python-style JSON (ASCII only, ", " and ": " separators): the string the LSB layer hides. */
    public String toJson() {
        return PythonStyleJson.write(toJsonNode());
    }

    /**
     * Reads our payload or a notebook-era one (only the six notebook keys); missing keys take their "unknown"
     * values. The title stands in for the prompts when they are missing.
     */
    public static ProvenancePayload fromJson(String json) throws ProvenanceException {
        JsonNode node;
        try {
            node = PythonStyleJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProvenanceException("recipe is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJsonNode(node);
    }

    /** Every top-level key a payload has; {@code settings} holds any further ones. */
    public static final List<String> KEYS = List.of("title", "notebook", "i", "model", "seed", "input_images", "prompts",
            "width", "height", "iterations", "drawer", "clip_model", "model_hashes", "job_id", "version", "settings");

    /** The top-level keys of a recipe JSON object that {@link #KEYS} does not have, in their order. */
    public static List<String> unknownKeys(String json) throws ProvenanceException {
        JsonNode node;
        try {
            node = PythonStyleJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProvenanceException("recipe is not valid JSON: " + e.getOriginalMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(k -> {
                if (!KEYS.contains(k)) {
                    unknown.add(k);
                }
            });
        }
        return unknown;
    }

    public static ProvenancePayload fromJsonNode(JsonNode node) throws ProvenanceException {
        if (node == null || !node.isObject()) {
            throw new ProvenanceException("recipe JSON must be an object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        try {
            List<Prompt> prompts = new ArrayList<>();
            JsonNode list = node.path("prompts");
            if (list.isArray()) {
                for (JsonNode p : list) {
                    if (p.isTextual()) {
                        prompts.add(new Prompt(p.asText(), 1.0));
                    } else {
                        prompts.add(new Prompt(p.path("text").asText(null), p.path("weight").asDouble(1.0)));
                    }
                }
            }
            String title = text(node, "title");
            if (title == null) {
                title = titleOf(prompts);
            }
            JsonNode input = node.path("input_images");
            boolean inputImages = input.isBoolean() ? input.booleanValue() : input.isTextual() && !input.asText().isEmpty();
            Map<String, String> hashes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("model_hashes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                hashes.put(e.getKey(), e.getValue().asText());
            }
            JsonNode job = node.path("job_id");
            Long jobId = job.isIntegralNumber() ? Long.valueOf(job.longValue())
                    : job.isTextual() && job.asText().matches("\\d{1,13}") ? Long.valueOf(job.asText()) : null;
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = node.path("settings").isObject()
                    ? PythonStyleJson.mapper().convertValue(node.get("settings"), LinkedHashMap.class) : Map.of();
            JsonNode seed = node.path("seed");
            return new ProvenancePayload(title, text(node, "notebook"), node.path("i").asInt(0), text(node, "model"),
                    seed.isMissingNode() || seed.isNull() ? null : seed.asText(), inputImages, prompts,
                    node.path("width").asInt(0), node.path("height").asInt(0), node.path("iterations").asInt(0),
                    text(node, "drawer"), text(node, "clip_model"), hashes, jobId, text(node, "version"), settings);
        } catch (IllegalArgumentException e) {
            throw new ProvenanceException("recipe JSON breaks a rule: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A one-line human-readable summary in the style of the {@code parameters} text chunk of other generators. */
    public String parametersLine() {
        StringBuilder s = new StringBuilder();
        if (!prompts.isEmpty()) {
            s.append(prompts.stream().map(p -> p.weight() == 1.0 ? p.text() : p.text() + ":" + p.weight())
                    .collect(Collectors.joining(" | ")));
        } else if (title != null) {
            s.append(title);
        }
        s.append("\n");
        List<String> parts = new ArrayList<>();
        if (iterations > 0) {
            parts.add("Steps: " + iterations);
        }
        if (seed != null) {
            parts.add("Seed: " + seed);
        }
        if (width > 0 && height > 0) {
            parts.add("Size: " + width + "x" + height);
        }
        if (model != null) {
            parts.add("Model: " + model);
        }
        if (clipModel != null) {
            parts.add("CLIP: " + clipModel);
        }
        if (drawer != null) {
            parts.add("Drawer: " + drawer);
        }
        if (jobId != null) {
            parts.add("Job: " + jobId);
        }
        if (version != null) {
            parts.add("Version: " + version);
        }
        s.append(String.join(", ", parts));
        return s.toString();
    }
}
