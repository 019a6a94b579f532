package dev.vqclip.twitter;

import dev.vqclip.prompt.Recipe;

/** Turns a mention's prompt into a recipe with the bot's defaults, like a Discord /imagine without options. */
@FunctionalInterface
public interface PromptRecipes {
    /** @throws IllegalArgumentException with a message for the user when the prompt cannot be drawn */
    Recipe recipe(String prompt);
}
