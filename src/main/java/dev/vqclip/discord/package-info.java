/**
 * The Discord adapter (JDA): slash commands, mentions and buttons become {@code ImagineBackend} calls, and job events
 * become edits of one card per job.
 */
package dev.vqclip.discord;
