/**
 * OpenAI CLIP ViT models as DJL ops: {@link dev.vqclip.engine.clip.ClipModel} (image and text towers) and
 * {@link dev.vqclip.engine.clip.ClipNormalize}. The BPE tokenizer lives here too, as {@code ClipTokenizer}.
 */
package dev.vqclip.engine.clip;
