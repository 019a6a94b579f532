package dev.vqclip.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecipeTextsTest {
    private static final Recipe FOX = Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("a red fox"))), 42);

    @Test
    void theCardsLineNamesPromptSizeStepsSeedAndModel() {
        assertThat(RecipeTexts.oneLine(FOX))
                .isEqualTo("a red fox:1.0 · 256x256 · 500 steps · seed 42 · vqgan_imagenet_f16_16384");
    }

    @Test
    void aModelGivenAsAFileIsShownByItsNameNeverItsPath() {
        Recipe local = new Recipe(FOX.prompts(), List.of(), List.of(), 42, 256, 256, 500, 32, 1.0, "latest", 0.1,
                "adam", null, "none", 0.0, "/srv/models/my_vqgan.safetensors", "ViT-B/32", "vqgan", 50);
        assertThat(RecipeTexts.oneLine(local)).endsWith("· my_vqgan.safetensors").doesNotContain("/srv");
        assertThat(RecipeTexts.full(local)).contains("models: my_vqgan.safetensors + ViT-B/32 (vqgan)")
                .contains("seed: 42").doesNotContain("/srv");
    }

    @Test
    void aModelPathWithoutAKnownExtensionIsStillShownByItsFileName() {
        assertThat(Recipe.modelLabel("/srv/models/vq_house")).isEqualTo("vq_house");
        assertThat(Recipe.modelLabel("ViT-B/32")).isEqualTo("ViT-B/32");
    }
}
