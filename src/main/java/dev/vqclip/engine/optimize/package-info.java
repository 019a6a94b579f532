/**
 * The VQGAN+CLIP optimisation loop: drawers, cutouts and augmentations, spherical-distance prompts, Adam on the latent,
 * previews and the memory plan.
 */
package dev.vqclip.engine.optimize;
