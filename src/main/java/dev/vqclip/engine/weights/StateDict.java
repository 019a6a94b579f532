package dev.vqclip.engine.weights;

import dev.vqclip.engine.nn.NamedWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Named tensors as a checkpoint holds them (upstream key names), plus the file's string metadata.
 * Immutable; the transforms return new instances.
 */
public final class StateDict implements NamedWeights {
    private final Map<String, HostTensor> tensors;
    private final Map<String, String> metadata;
    private final String source;

    public StateDict(Map<String, HostTensor> tensors, Map<String, String> metadata, String source) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.source = source;
    }

    /** Where the tensors came from (a file name), for error messages. */
    public String source() {
        return source;
    }

    public Map<String, HostTensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    public int size() {
        return tensors.size();
    }

    /** The tensor under {@code key}, or an error that names the key and the file. */
    public HostTensor get(String key) {
        HostTensor t = tensors.get(key);
        if (t == null) {
            throw new WeightsException("missing key '" + key + "' in " + source);
        }
        return t;
    }

    /** The tensor under {@code key} widened or rounded to float32 (see {@link HostTensor#toFloats()}). */
    @Override
    public float[] floats(String key) {
        return get(key).toFloats();
    }

    /**
     * Dimension {@code i} of the tensor under {@code key}, for reading a config off the shapes; the error names the
     * key when it is missing or has too few dimensions.
     */
    public int dim(String key, int i) {
        HostTensor t = get(key);
        if (i < 0 || i >= t.rank() || t.dim(i) > Integer.MAX_VALUE) {
            throw new WeightsException(source + ": '" + key + "' has shape " + t.shapeString()
                    + ", which has no usable dimension " + i);
        }
        return (int) t.dim(i);
    }

    /** Keys that start with {@code prefix}, with the prefix removed; other keys are dropped. */
    public StateDict withPrefixStripped(String prefix) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new StateDict(out, metadata, source);
    }

    public StateDict filter(Predicate<String> keep) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (keep.test(k)) {
                out.put(k, v);
            }
        });
        return new StateDict(out, metadata, source);
    }

    /**
     * Checks that this dict holds exactly the expected keys with exactly the expected shapes, before anything is
     * copied. The error lists every missing key, every unexpected key and every shape mismatch (key, expected, actual).
     */
    @Override
    public void requireExactly(Map<String, long[]> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            HostTensor t = tensors.get(e.getKey());
            if (t != null && !Arrays.equals(t.shape(), e.getValue())) {
                problems.add("key '" + e.getKey() + "': expected shape " + Arrays.toString(e.getValue())
                        + " but the file has " + t.shapeString());
            }
        }
        if (!missing.isEmpty()) {
            problems.add("missing keys " + abbreviate(missing));
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + abbreviate(unexpected));
        }
        if (!problems.isEmpty()) {
            throw new WeightsException(source + " does not match the architecture: " + String.join("; ", problems));
        }
    }

    private static String abbreviate(Set<String> keys) {
        List<String> l = new ArrayList<>(keys);
        return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " and " + (l.size() - 8) + " more";
    }
}
