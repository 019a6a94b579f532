package dev.vqclip.engine.parity;

import dev.vqclip.engine.weights.ClipConfigs;
import dev.vqclip.engine.weights.VqganConfigs;
import ai.djl.Device;
import dev.vqclip.engine.clip.ClipConfig;
import dev.vqclip.engine.clip.ClipModel;
import dev.vqclip.engine.vqgan.Vqgan;
import dev.vqclip.engine.vqgan.VqganConfig;
import dev.vqclip.engine.weights.SafetensorsReader;
import dev.vqclip.engine.weights.StateDict;

/** The tiny fixture models, loaded on the CPU with their configs from the weights' metadata. */
public final class TinyModels {
    private TinyModels() {
    }

    public static Vqgan vqgan() {
        StateDict w = SafetensorsReader.read(FixtureDir.get().resolve("vqgan_tiny.weights.safetensors"));
        return Vqgan.load(w, VqganConfigs.fromMetadataJson(w.metadata().get("config")), Device.cpu());
    }

    public static ClipModel clip() {
        StateDict w = SafetensorsReader.read(FixtureDir.get().resolve("clip_tiny.weights.safetensors"));
        return ClipModel.load(w, ClipConfigs.fromMetadataJson(w.metadata().get("config")), Device.cpu());
    }
}
