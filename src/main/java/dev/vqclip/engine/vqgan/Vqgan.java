package dev.vqclip.engine.vqgan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.NamedWeights;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A taming-transformers VQGAN (VQModel / GumbelVQ without the loss module) as DJL ops, float32 on every device (the
 * reference never casts the decoder to half). Composition as VQModel: {@code encode} = encoder → quant_conv,
 * {@code quantize} = the quantizer, {@code decode} = post_quant_conv → decoder.
 *
 * <p>Every method returns arrays attached to its input's manager and frees its intermediates; each call is
 * differentiable with respect to its input when run inside a gradient collector. Owns its own NDManager (the weights).
 */
public final class Vqgan implements AutoCloseable {
    private final VqganConfig config;
    private final NDManager manager;
    private final NDManager encoderManager; // encoder + quant_conv weights, freed by releaseEncoder()
    private volatile Encoding encoding;
    private final Quantizer quantizer;
    private final Conv2d postQuantConv;
    private final Decoder decoder;
    private final List<DecodeStage> decodeStages; // post_quant_conv, then the decoder's

    private Vqgan(VqganConfig config, Params p) {
        this.config = config;
        this.manager = p.manager();
        this.encoderManager = manager.newSubManager();
        Params encoderParams = p.on(encoderManager);
        Encoder encoder = new Encoder(encoderParams, config);
        this.decoder = new Decoder(p, config);
        if (config.gumbel()) {
            Conv2d proj = Conv2d.load(p, "quantize.proj", true, 1, 0, DataType.FLOAT32);
            this.quantizer = new GumbelQuantizer(proj, p.get("quantize.embed.weight"));
        } else {
            this.quantizer = new VectorQuantizer(p.get("quantize.embedding.weight"));
        }
        this.encoding = new Encoding(encoder, Conv2d.same(encoderParams, "quant_conv"));
        this.postQuantConv = Conv2d.same(p, "post_quant_conv");
        List<DecodeStage> stages = new ArrayList<>();
        stages.add(new DecodeStage("post_quant_conv", postQuantConv::forward));
        stages.addAll(decoder.stages());
        this.decodeStages = List.copyOf(stages);
        p.requireAllUsed();
    }

    /** The image-to-latent half: taming's {@code encoder} and {@code quant_conv}. */
    private record Encoding(Encoder encoder, Conv2d quantConv) {
    }

    /** Builds the model from upstream-named weights; the full key set and every shape are checked first. */
    public static Vqgan load(NamedWeights weights, VqganConfig config, Device device) {
        return build(config, device, m -> Params.fromCheckpoint(weights, expectedShapes(config), m));
    }

    /** A real-size stand-in with seeded random weights (benchmarks, smoke tests). */
    public static Vqgan randomInit(VqganConfig config, Device device, long seed) {
        return build(config, device, m -> Params.random(expectedShapes(config), m, seed));
    }

    private static Vqgan build(VqganConfig config, Device device, Function<NDManager, Params> params) {
        NDManager m = NDManager.newBaseManager(device);
        try {
            Vqgan model = new Vqgan(config, params.apply(m));
            Params.releaseHostCopies();
            return model;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Every state_dict key of this architecture with its shape, in upstream order. */
    public static Map<String, long[]> expectedShapes(VqganConfig c) {
        return VqganShapes.of(c);
    }

    public VqganConfig config() {
        return config;
    }

    /** Spatial downsampling factor 2^(len(ch_mult)-1). */
    public int factor() {
        return config.factor();
    }

    public NDManager manager() {
        return manager;
    }

    /** [n_embed, embed_dim], owned by the model ({@code quantize.embedding.weight}, Gumbel: {@code quantize.embed.weight}). */
    public NDArray codebook() {
        return quantizer.codebook();
    }

    /** Image [N, 3, H, W] in [-1, 1], H and W multiples of f -> pre-quantization latent [N, embed_dim, H/f, W/f]. */
    public NDArray encode(NDArray image) {
        requireNchw(image, "image", config.inChannels());
        long f = factor();
        if (image.getShape().get(2) % f != 0 || image.getShape().get(3) % f != 0) {
            throw new IllegalArgumentException("image height and width must be multiples of " + f + " but shape is "
                    + image.getShape());
        }
        Encoding e = encoding();
        return Ops.scoped(image.getManager(), () -> {
            try (NDArray h = e.encoder().forward(image)) { // [N, z_channels, H/f, W/f]
                return e.quantConv().forward(h);
            }
        });
    }

    /** Latent [N, embed_dim, h, w] -> nearest codebook entries (see {@link Quantized}). */
    public Quantized quantize(NDArray z) {
        requireNchw(z, "z", config.embedDim());
        NDList out = Ops.scopedList(z.getManager(), () -> {
            Quantized q = quantizer.quantize(z);
            return new NDList(q.zq(), q.indices(), q.loss());
        });
        return new Quantized(out.get(0), out.get(1), out.get(2));
    }

    /** Quantized latent [N, embed_dim, h, w] -> image [N, out_ch, h·f, w·f], nominally in [-1, 1]. */
    public NDArray decode(NDArray zq) {
        requireNchw(zq, "zq", config.embedDim());
        return Ops.scoped(zq.getManager(), () -> {
            try (NDArray h = postQuantConv.forward(zq)) { // [N, z_channels, h, w]
                return decoder.forward(h);
            }
        });
    }

    /**
     * {@link #decode} with gradient checkpointing: the same image, and a backward that recomputes the stages
     * {@code which} names one at a time instead of keeping their activations (see {@link CheckpointedDecode}).
     */
    public CheckpointedDecode decodeCheckpointed(NDArray zq, DecoderCheckpoint which) {
        requireNchw(zq, "zq", config.embedDim());
        return switch (which) {
            case NORMS -> CheckpointedDecode.run(decodeStages, zq, CheckpointedDecode.Kind.LEAN);
            case ALL -> CheckpointedDecode.run(decodeStages, zq, CheckpointedDecode.Kind.RECOMPUTE);
            case NONE -> throw new IllegalArgumentException("a checkpointed decode needs stages to recompute, got none");
        };
    }

    /** The decode as its chain of stages, post_quant_conv first: for checkpointing and per-stage profiles. */
    public List<DecodeStage> decodeStages() {
        return decodeStages;
    }

    /* --- single stages, for stage-by-stage verification against upstream fixtures --- */

    /** Encoder alone: image [N, 3, H, W] -> [N, z_channels, H/f, W/f] (taming {@code Encoder.forward}). */
    public NDArray runEncoder(NDArray image) {
        requireNchw(image, "image", config.inChannels());
        Encoding e = encoding();
        return Ops.scoped(image.getManager(), () -> e.encoder().forward(image));
    }

    /** post_quant_conv alone: [N, embed_dim, h, w] -> [N, z_channels, h, w]. */
    public NDArray runPostQuantConv(NDArray zq) {
        requireNchw(zq, "zq", config.embedDim());
        return Ops.scoped(zq.getManager(), () -> postQuantConv.forward(zq));
    }

    /**
     * Frees the encoder's and quant_conv's weights (112 MiB for f16-16384) for a process that renders one job whose
     * init image, if any, is already encoded; {@link #encode} fails afterwards. Decoding is unaffected.
     */
    public synchronized void releaseEncoder() {
        if (encoding != null) {
            encoding = null;
            encoderManager.close();
        }
    }

    private Encoding encoding() {
        Encoding e = encoding;
        if (e == null) {
            throw new IllegalStateException("this VQGAN's encoder was released once its job was set up (a one-job run); "
                    + "load the model again to encode images");
        }
        return e;
    }

    private void requireNchw(NDArray x, String name, int channels) {
        long[] s = x.getShape().getShape();
        if (s.length != 4 || s[1] != channels) {
            throw new IllegalArgumentException(name + " must be [N, " + channels + ", H, W] but has shape "
                    + Arrays.toString(s));
        }
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(name + " must be float32 but is " + x.getDataType());
        }
        if (!x.getDevice().equals(manager.getDevice())) {
            throw new IllegalArgumentException(name + " is on " + x.getDevice() + " but the model is on "
                    + manager.getDevice());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
