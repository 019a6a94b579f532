package dev.vqclip.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderRulesTest {
    private static final RenderRules RULES = new RenderRules("m", 64, 48, 10, 4, SeedRule.SHARED, 42);

    private static Recipe recipe(int w, int h, int iterations, int cutn, long seed, String vqgan) {
        return new Recipe(PromptSchedule.of(List.of(new WeightedPrompt("fox"))), List.of(), List.of(), seed, w, h,
                iterations, cutn, 1.0, "original", 0.1, "adam", null, "none", 0, vqgan, "clip", "vqgan", 5);
    }

    @Test
    void aRecipeUnderTheRulesBreaksNone() {
        assertThat(RULES.violation(recipe(64, 48, 10, 4, 42, "m"))).isEmpty();
    }

    @Test
    void eachBrokenRuleIsNamed() {
        assertThat(RULES.violation(recipe(64, 64, 10, 4, 42, "m"))).get().asString().startsWith("size:");
        assertThat(RULES.violation(recipe(64, 48, 11, 4, 42, "m"))).get().asString().startsWith("iterations:");
        assertThat(RULES.violation(recipe(64, 48, 10, 8, 42, "m"))).get().asString().startsWith("cutouts:");
        assertThat(RULES.violation(recipe(64, 48, 10, 4, 7, "m"))).get().asString().startsWith("seed:");
        assertThat(RULES.violation(recipe(64, 48, 10, 4, 42, "other"))).get().asString().startsWith("model:");
        assertThat(new RenderRules("m", 64, 48, 10, 4, SeedRule.PER_ENTRY, 0)
                .violation(recipe(64, 48, 10, 4, 7, "m"))).as("any seed under a seed per entry").isEmpty();
    }

    @Test
    void theTemplateRefusesRulesBeyondTheBotsBounds() {
        EntryTemplate t = new EntryTemplate("clip", 1.0, "original", 5, List.of("m"), 256, 100, 64, 48, 10, 4);
        assertThatThrownBy(() -> t.check(new RenderRules("m", 512, 48, 10, 4, SeedRule.SHARED, 1)))
                .isInstanceOf(ContestRefusal.class).hasMessageStartingWith("size:");
        assertThatThrownBy(() -> t.check(new RenderRules("x", 64, 48, 10, 4, SeedRule.SHARED, 1)))
                .hasMessageStartingWith("model:");
        assertThatThrownBy(() -> t.check(new RenderRules("m", 64, 48, 101, 4, SeedRule.SHARED, 1)))
                .hasMessageStartingWith("iterations:");
    }
}
