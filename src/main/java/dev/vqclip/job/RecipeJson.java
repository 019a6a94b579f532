package dev.vqclip.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vqclip.prompt.Recipe;

/** A recipe as the JSON the store keeps (every field, so a job re-runs exactly as it was asked). */
public final class RecipeJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RecipeJson() {
    }

    public static String write(Recipe recipe) {
        try {
            return JSON.writeValueAsString(recipe);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recipe could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the problem when the JSON is not a valid recipe */
    public static Recipe read(String json) {
        try {
            return JSON.readValue(json, Recipe.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored recipe is not valid: " + e.getOriginalMessage(), e);
        }
    }
}
