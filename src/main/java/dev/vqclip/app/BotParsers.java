package dev.vqclip.app;

import dev.vqclip.engine.ModelRepository;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.TokenBudget;

/** The prompt parser the chat adapters share. */
final class BotParsers {
    private BotParsers() {
    }

    /** Bounded by the CLIP model's token budget and the operators' moderation policy. */
    static PromptParser parser(ModelRepository models, String clipName, PromptPolicy policy) {
        ModelRepository.LoadedClip clip = models.clip(clipName);
        int context = clip.model().config().contextLength();
        // two of the context's tokens are the start and end markers
        return new PromptParser(policy, new TokenBudget(clip.tokenizer()::countTokens, context - 2, false));
    }
}
