package dev.vqclip.engine.clip;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every state_dict key of an OpenAI CLIP ViT model with its shape, in upstream order (clip/model.py). */
final class ClipShapes {
    private ClipShapes() {
    }

    static Map<String, long[]> of(ClipConfig c) {
        Map<String, long[]> s = new LinkedHashMap<>();
        int vw = c.visionWidth();
        int tw = c.transformerWidth();
        s.put("positional_embedding", new long[] {c.contextLength(), tw});
        s.put("text_projection", new long[] {tw, c.embedDim()});
        s.put("logit_scale", new long[] {});
        s.put("visual.class_embedding", new long[] {vw});
        s.put("visual.positional_embedding", new long[] {(long) c.gridSize() * c.gridSize() + 1, vw});
        s.put("visual.proj", new long[] {vw, c.embedDim()});
        s.put("visual.conv1.weight", new long[] {vw, 3, c.visionPatchSize(), c.visionPatchSize()});
        norm(s, "visual.ln_pre", vw);
        transformer(s, "visual.transformer", c.visionLayers(), vw);
        norm(s, "visual.ln_post", vw);
        transformer(s, "transformer", c.transformerLayers(), tw);
        s.put("token_embedding.weight", new long[] {c.vocabSize(), tw});
        norm(s, "ln_final", tw);
        return s;
    }

    private static void transformer(Map<String, long[]> s, String prefix, int layers, int w) {
        for (int i = 0; i < layers; i++) {
            String p = prefix + ".resblocks." + i;
            s.put(p + ".attn.in_proj_weight", new long[] {3L * w, w});
            s.put(p + ".attn.in_proj_bias", new long[] {3L * w});
            s.put(p + ".attn.out_proj.weight", new long[] {w, w});
            s.put(p + ".attn.out_proj.bias", new long[] {w});
            norm(s, p + ".ln_1", w);
            s.put(p + ".mlp.c_fc.weight", new long[] {4L * w, w});
            s.put(p + ".mlp.c_fc.bias", new long[] {4L * w});
            s.put(p + ".mlp.c_proj.weight", new long[] {w, 4L * w});
            s.put(p + ".mlp.c_proj.bias", new long[] {w});
            norm(s, p + ".ln_2", w);
        }
    }

    private static void norm(Map<String, long[]> s, String prefix, int w) {
        s.put(prefix + ".weight", new long[] {w});
        s.put(prefix + ".bias", new long[] {w});
    }
}
