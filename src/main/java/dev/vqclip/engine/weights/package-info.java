/**
 * Reading checkpoints without running them (safetensors, torch zip and Lightning pickles through a restricted
 * unpickler) into a checked {@code StateDict} and model configs.
 */
package dev.vqclip.engine.weights;
