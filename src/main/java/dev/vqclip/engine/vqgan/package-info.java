/**
 * taming-transformers VQGAN (VQModel and GumbelVQ) as DJL ops: {@link dev.vqclip.engine.vqgan.Vqgan} with encoder,
 * quantizer and decoder named after the checkpoint's modules. Entry point: {@code Vqgan.load(weights, config, device)}.
 */
package dev.vqclip.engine.vqgan;
