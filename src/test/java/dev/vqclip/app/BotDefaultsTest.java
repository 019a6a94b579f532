package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.ImageInput;
import dev.vqclip.job.RecipeBounds;
import dev.vqclip.prompt.PromptPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job service behind the bots re-checks exactly the limits the bots offer their users. */
class BotDefaultsTest {
    @Test
    void theServicesBoundsAreTheBotsSideStepAndAttachmentLimits() {
        RecipeBounds standard = BotDefaults.standard(List.of()).recipeBounds();
        assertThat(standard).isEqualTo(new RecipeBounds(768, 1000, PromptPolicy.DEFAULT_MAX_PROMPTS,
                PromptPolicy.DEFAULT_MAX_CHARS, ImageInput.MAX_BYTES));
    }

    @Test
    void anOperatorsLargerBotSizeRaisesTheBoundItIsCheckedAgainst() {
        BotDefaults s = BotDefaults.standard(List.of());
        BotDefaults big = new BotDefaults(s.vqgan(), s.clip(), s.models(), 1024, 1024, 2000, s.cutn(), s.cutPow(),
                s.cutMethod(), s.previewEvery(), 1024, 2000);
        assertThat(big.recipeBounds().maxSide()).isEqualTo(1024);
        assertThat(big.recipeBounds().maxIterations()).isEqualTo(2000);
    }
}
