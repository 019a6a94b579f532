package dev.vqclip.engine.weights;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the VQGAN weights out of a taming-transformers / PyTorch Lightning {@code .ckpt} (a {@code torch.save} zip)
 * without Python and without running any of its pickle.
 *
 * <p>Rules, after taming's {@code VQModel.init_from_ckpt} and generate.py:
 * <ul>
 *   <li>the weights are the {@code "state_dict"} entry when there is one (Lightning), else the top-level dict (a plain
 *       {@code torch.save(model.state_dict())});</li>
 *   <li>only tensors are kept; Lightning's optimizer state, callbacks and hyper-parameters are never read;</li>
 *   <li>a Net2Net transformer checkpoint holds the VQGAN under {@code first_stage_model.}: when any key has that
 *       prefix, only those keys are kept, with the prefix removed ({@code cond_stage_model.*} and
 *       {@code transformer.*} are dropped);</li>
 *   <li>{@code loss.*} (LPIPS and the discriminator that VQModel registers as a submodule) is dropped, as generate.py
 *       does with {@code del model.loss}.</li>
 * </ul>
 * Tensors keep the dtype of their storage (float32 for the published VQGANs).
 */
public final class TorchCheckpoint {
    static final String FIRST_STAGE_PREFIX = "first_stage_model.";

    private TorchCheckpoint() {
    }

    public static StateDict read(Path file) {
        try (TorchZip zip = TorchZip.open(file)) {
            return read(zip);
        }
    }

    static StateDict read(TorchZip zip) {
        Object root = zip.unpickle();
        Map<?, ?> top = asDict(root);
        if (top == null) {
            throw new WeightsException(zip.name() + ": the checkpoint's top object is " + describeTop(root)
                    + ", not a dict" + (zip.isTorchScript() ? " (it is a TorchScript archive)" : ""));
        }
        Map<?, ?> weights = top.containsKey("state_dict") ? asDict(top.get("state_dict")) : top;
        if (weights == null) {
            throw new WeightsException(zip.name() + ": its \"state_dict\" entry is not a dict");
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        weights.forEach((k, v) -> {
            if (k instanceof String key && v instanceof TensorRef ref) {
                refs.put(key, ref);
            }
        });
        boolean net2net = refs.keySet().stream().anyMatch(k -> k.startsWith(FIRST_STAGE_PREFIX));
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        refs.forEach((key, ref) -> {
            if (net2net && !key.startsWith(FIRST_STAGE_PREFIX)) {
                return;
            }
            String name = net2net ? key.substring(FIRST_STAGE_PREFIX.length()) : key;
            if (!name.startsWith("loss.")) {
                tensors.put(name, zip.tensor(ref, key));
            }
        });
        if (tensors.isEmpty()) {
            throw new WeightsException(zip.name() + " holds no model tensors (looked in "
                    + (weights == top ? "the top-level dict" : "\"state_dict\"") + ")");
        }
        return new StateDict(tensors, Map.of(), zip.name());
    }

    /** A dict, or the items of an instance of a dict subclass (pickled as NEWOBJ + SETITEMS); else null. */
    private static Map<?, ?> asDict(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        return o instanceof PickleObject p && !p.dictItems().isEmpty() ? p.dictItems() : null;
    }

    private static String describeTop(Object root) {
        return root == null ? "None" : root instanceof PickleObject o ? o.toString() : root.getClass().getSimpleName();
    }
}
