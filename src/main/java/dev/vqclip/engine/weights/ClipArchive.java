package dev.vqclip.engine.weights;

import dev.vqclip.engine.clip.ClipConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the weights of an OpenAI CLIP TorchScript archive ({@code ViT-B-32.pt} and friends) by walking the module
 * object tree in its {@code data.pkl}; the TorchScript code is never read or run (its graphs hard-code CUDA and fp16).
 *
 * <p>Each module is an inert {@code __torch__.*} object whose state is a dict of attributes; a tensor's state_dict name
 * is the dotted path of attribute names from the root ({@code visual.transformer.resblocks.0.attn.in_proj_weight}),
 * layer containers naming their children {@code 0}, {@code 1}, .... As {@code build_model} does, the int64 scalars
 * {@code input_resolution}, {@code context_length} and {@code vocab_size} are dropped; here they are first compared
 * with the config inferred from the weights. Tensors keep their stored dtype: float16 for the Conv/Linear/attention
 * weights and projections, float32 for the rest ({@link HostTensor#toFloats()} widens).
 */
public final class ClipArchive {
    private static final List<String> SCALAR_BUFFERS = List.of("input_resolution", "context_length", "vocab_size");
    private static final int MAX_DEPTH = 64;

    private ClipArchive() {
    }

    public static StateDict read(Path file) {
        try (TorchZip zip = TorchZip.open(file)) {
            return read(zip);
        }
    }

    static StateDict read(TorchZip zip) {
        if (!zip.isTorchScript()) {
            throw new WeightsException(zip.name() + " is not a TorchScript archive (it has no code/ folder); "
                    + "a plain torch.save checkpoint is read by TorchCheckpoint");
        }
        Object root = zip.unpickle();
        if (!isModule(root)) {
            throw new WeightsException(zip.name() + ": the archive's top object is not a TorchScript module");
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        collect((PickleObject) root, "", refs, Collections.newSetFromMap(new IdentityHashMap<>()), 0, zip.name());

        Map<String, Long> scalars = new LinkedHashMap<>();
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            HostTensor t = zip.tensor(e.getValue(), e.getKey());
            if (SCALAR_BUFFERS.contains(e.getKey())) {
                scalars.put(e.getKey(), scalar(t, e.getKey(), zip.name()));
            } else if (!e.getKey().endsWith(".attn_mask")) {
                // CLIP's ResidualAttentionBlock keeps its causal mask as a plain attribute: TorchScript pickles it,
                // but it is not a parameter or buffer, so state_dict() (and the model) does not have it.
                tensors.put(e.getKey(), t);
            }
        }
        StateDict dict = new StateDict(tensors, Map.of(), zip.name());
        crossCheck(ClipConfigs.inferFromShapes(dict), scalars, zip.name());
        return dict;
    }

    private static boolean isModule(Object o) {
        return o instanceof PickleObject p && p.type().module().startsWith("__torch__");
    }

    private static void collect(PickleObject module, String prefix, Map<String, TensorRef> out,
                                Set<PickleObject> visited, int depth, String source) {
        if (depth > MAX_DEPTH || !visited.add(module)) {
            throw new WeightsException(source + ": the module tree is cyclic or deeper than " + MAX_DEPTH
                    + " levels (at '" + prefix + "')");
        }
        if (!(module.state() instanceof Map<?, ?> attributes)) {
            return; // a module without an attribute dict has no parameters to name
        }
        for (Map.Entry<?, ?> a : attributes.entrySet()) {
            if (!(a.getKey() instanceof String attr)) {
                continue;
            }
            if (a.getValue() instanceof TensorRef ref) {
                out.put(prefix + attr, ref);
            } else if (isModule(a.getValue())) {
                collect((PickleObject) a.getValue(), prefix + attr + ".", out, visited, depth + 1, source);
            }
        }
    }

    private static long scalar(HostTensor t, String key, String source) {
        if (t.numel() != 1 || t.dtype().isFloating()) {
            throw new WeightsException(source + ": '" + key + "' should be an integer scalar but is " + t);
        }
        return t.toLongs()[0];
    }

    private static void crossCheck(ClipConfig config, Map<String, Long> scalars, String source) {
        Map<String, Long> inferred = Map.of("input_resolution", (long) config.imageResolution(),
                "context_length", (long) config.contextLength(), "vocab_size", (long) config.vocabSize());
        List<String> mismatches = new ArrayList<>();
        scalars.forEach((k, v) -> {
            if (!v.equals(inferred.get(k))) {
                mismatches.add(k + " is " + v + " but the weights imply " + inferred.get(k));
            }
        });
        if (!mismatches.isEmpty()) {
            throw new WeightsException(source + ": inconsistent CLIP archive: " + String.join("; ", mismatches));
        }
    }
}
