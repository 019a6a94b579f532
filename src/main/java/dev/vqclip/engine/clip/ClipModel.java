package dev.vqclip.engine.clip;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.vqclip.engine.nn.NamedWeights;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;
import java.util.Map;
import java.util.function.Function;

/**
 * OpenAI CLIP (ViT image tower + text transformer) as DJL ops, after openai/CLIP {@code clip/model.py}.
 *
 * <p>Precision follows the reference: on a GPU the Conv/Linear/attention weights, projections and embeddings are
 * float16 ({@code build_model} → {@code convert_weights}) while LayerNorms compute in float32; on the CPU everything
 * is float32 (as {@code clip.load} does there; float16 on CPU is also ~70x slower). Inputs and outputs are float32
 * in both cases, cast differentiably. Results are attached to the input's manager; intermediates are freed.
 */
public final class ClipModel implements AutoCloseable {
    private final ClipConfig config;
    private final NDManager manager;
    private final DataType computeType;
    private final VisionTransformer visual;
    private final NDManager textManager; // the text tower's weights, freed by releaseTextTower()
    private volatile TextTransformer text;

    private ClipModel(ClipConfig config, Params p, DataType computeType) {
        this.config = config;
        this.manager = p.manager();
        this.computeType = computeType;
        this.visual = new VisionTransformer(p, config, computeType);
        this.textManager = manager.newSubManager();
        this.text = new TextTransformer(p.on(textManager), config, computeType);
        p.skip("logit_scale"); // the contrastive temperature; encode_image/encode_text do not use it
        p.requireAllUsed();
    }

    /** Builds the model from upstream-named weights (float16 or float32); the key set and shapes are checked first. */
    public static ClipModel load(NamedWeights weights, ClipConfig config, Device device) {
        return build(config, device, m -> Params.fromCheckpoint(weights, expectedShapes(config), m));
    }

    /** A real-size stand-in with seeded random weights (benchmarks, smoke tests). */
    public static ClipModel randomInit(ClipConfig config, Device device, long seed) {
        return build(config, device, m -> Params.random(expectedShapes(config), m, seed));
    }

    private static ClipModel build(ClipConfig config, Device device, Function<NDManager, Params> params) {
        NDManager m = NDManager.newBaseManager(device);
        try {
            ClipModel model = new ClipModel(config, params.apply(m), device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32);
            Params.releaseHostCopies();
            return model;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Every state_dict key of this architecture with its shape, in upstream order. */
    public static Map<String, long[]> expectedShapes(ClipConfig c) {
        return ClipShapes.of(c);
    }

    public ClipConfig config() {
        return config;
    }

    /** Side of the square input images (224 for ViT-B/32). */
    public int inputResolution() {
        return config.imageResolution();
    }

    public NDManager manager() {
        return manager;
    }

    /** FLOAT16 on GPU, FLOAT32 on CPU. */
    public DataType computeType() {
        return computeType;
    }

    /**
     * {@code CLIP.encode_image}: CLIP-normalised pixels [N, 3, R, R] float32 -> [N, embed_dim] float32, not
     * L2-normalised. Differentiable with respect to the input.
     */
    public NDArray encodeImage(NDArray normalizedPixels) {
        long[] s = normalizedPixels.getShape().getShape();
        int r = config.imageResolution();
        if (s.length != 4 || s[1] != 3 || s[2] != r || s[3] != r) {
            throw new IllegalArgumentException("CLIP images must be [N, 3, " + r + ", " + r + "] but got "
                    + normalizedPixels.getShape());
        }
        requireDevice(normalizedPixels);
        return Ops.scoped(normalizedPixels.getManager(), () -> {
            NDArray x = Ops.castDifferentiably(normalizedPixels, computeType);
            return Ops.castDifferentiably(visual.forward(x), DataType.FLOAT32);
        });
    }

    /**
     * {@code CLIP.encode_text}: token ids [N, L] (int64 or int32, {@code [SOT] + ids + [EOT]} then zero padding,
     * L <= context_length) -> [N, embed_dim] float32, pooled at each row's EOT (its highest id).
     */
    public NDArray encodeText(NDArray tokens) {
        long[] s = tokens.getShape().getShape();
        if (s.length != 2 || s[1] < 1 || s[1] > config.contextLength() || !tokens.getDataType().isInteger()) {
            throw new IllegalArgumentException("CLIP tokens must be integer [N, L] with 1 <= L <= "
                    + config.contextLength() + " but got " + tokens.getDataType() + " " + tokens.getShape());
        }
        requireDevice(tokens);
        TextTransformer tower = text;
        if (tower == null) {
            throw new IllegalStateException("this CLIP's text tower was released once its prompts were encoded "
                    + "(a one-job run); load the model again to encode more text");
        }
        return Ops.scoped(tokens.getManager(), () -> {
            NDArray ids = tokens.toType(DataType.INT64, false);
            return Ops.castDifferentiably(tower.forward(ids), DataType.FLOAT32);
        });
    }

    /**
     * Frees the text tower's weights (a third of the model: 242 MiB for ViT-B/32) for a process that renders one job
     * and has encoded its prompts; {@link #encodeText} fails afterwards. The image tower stays.
     */
    public synchronized void releaseTextTower() {
        if (text != null) {
            text = null;
            textManager.close();
        }
    }

    private void requireDevice(NDArray x) {
        if (!x.getDevice().equals(manager.getDevice())) {
            throw new IllegalArgumentException("input is on " + x.getDevice() + " but the model is on "
                    + manager.getDevice());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
