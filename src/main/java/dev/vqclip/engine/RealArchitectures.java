package dev.vqclip.engine;

import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.vqgan.VqganConfig;
import java.util.List;

/**
 * The published architectures of the reference models, for benchmarks with random weights (no download). Values
 * from taming-transformers' configs/imagenet_vqgan.yaml (f16, 16384 codes) and OpenAI CLIP's ViT-B/32 build_model.
 */
public final class RealArchitectures {
    public static final VqganConfig VQGAN_F16_16384 =
            new VqganConfig(128, List.of(1, 1, 2, 2, 4), 2, List.of(16), 256, 256, 3, 3, 256, 16384, false);
    public static final ClipConfig CLIP_VIT_B32 = new ClipConfig(512, 224, 12, 768, 32, 77, 49408, 512, 8, 12);

    private RealArchitectures() {
    }
}
