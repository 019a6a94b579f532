package dev.vqclip.discord;

import dev.vqclip.prompt.Recipe;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What /decode found in an image, for the bot to put in words. The job system reads the image; this record carries
 * only what the reply shows.
 *
 * @param layers       the provenance layers found (LSB payload, PNG chunks, robust mark); not empty
 * @param jobId        the queue job the image came from, or 0 when it names none
 * @param watermarked  whether the robust mark was found (with no job id: a local render)
 * @param parameters   the recipe line the image itself carries, or null when a re-encoding removed it
 * @param storedRecipe the recipe of {@code jobId} in the job system when the image carries none, or null when the
 *                     job is unknown or is a contest entry
 * @param contestEntry whether {@code jobId} is a contest entry: voting is blind, so its prompt stays hidden
 * @param texts        the image's other text chunks, shown when nothing better is known
 */
public record DecodedProvenance(List<String> layers, long jobId, boolean watermarked, String parameters,
                              Recipe storedRecipe, boolean contestEntry, Map<String, String> texts) {
    public DecodedProvenance {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("a decoded image names at least one provenance layer");
        }
        if (jobId < 0) {
            throw new IllegalArgumentException("a decoded job id must be positive (or 0 for none), got " + jobId);
        }
        layers = List.copyOf(layers);
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts)); // in the image's order
    }

    /** The /decode reply. */
    public String text() {
        StringBuilder text = new StringBuilder("layers: ").append(String.join(", ", layers)).append('\n');
        if (jobId > 0) {
            text.append("job ").append(jobId).append('\n');
        } else if (watermarked) {
            text.append("a local render (no queue job)\n");
        }
        if (parameters != null) {
            text.append(parameters);
        } else if (jobId > 0) {
            // only the robust mark survived a re-encoding: the recipe comes from the job system
            text.append(contestEntry ? "a contest entry: its prompt is shown with the contest's results"
                    : storedRecipe != null ? RecipeTexts.full(storedRecipe)
                    : "job " + jobId + " is not in this bot's database");
        } else {
            texts.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        }
        return text.toString().strip();
    }
}
