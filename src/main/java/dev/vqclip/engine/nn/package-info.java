/**
 * The handful of neural-network layers the VQGAN and CLIP ports share, written as plain DJL ops on weight arrays
 * (no DJL Blocks): convolution, linear, group/layer norm, activations, and {@link dev.vqclip.engine.nn.Params},
 * which hands a model its named weights from a checkpoint or from a seeded random initialisation.
 */
package dev.vqclip.engine.nn;
