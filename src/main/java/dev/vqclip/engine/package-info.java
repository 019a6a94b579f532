/**
 * The rendering engine and the only user of DJL: {@code Renderer} turns a recipe into an image and reports each step to
 * a {@code RenderListener}.
 */
package dev.vqclip.engine;
