/**
 * Prompts as users type them: the {@code text:weight:stop | ...} syntax with {@code ^} schedules, image and noise
 * prompts, moderation and the {@code Recipe}, in plain Java.
 */
package dev.vqclip.prompt;
