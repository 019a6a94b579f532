package dev.vqclip.bench.engine;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step as libtorch's profiler saw it: self time per operator, and the arithmetic of the kernels that do
 * the bulk of it (matrix products and convolutions, forward and input gradient) with the rate each reached. The step
 * cannot run faster than its arithmetic at the best rate seen, whatever the code around the kernels does: that is
 * the {@link #floorSeconds floor}.
 */
public record StepTrace(double stepMs, List<Op> ops, List<Kernel> kernels) {
    /** An operator's calls and self time (its own, not its children's). */
    public record Op(String name, int calls, double selfMs) {
    }

    /** A kernel family's floating-point operations (2 per multiply-add) and self time. */
    public record Kernel(String name, double gflop, double ms) {
        public double gflopPerSecond() {
            return ms == 0 ? 0 : gflop / ms * 1e3;
        }
    }

    private static final String MATMUL = "matrix products (mm, bmm, addmm)";
    private static final String CONV = "convolutions, forward";
    private static final String CONV_BACKWARD = "convolutions, input gradient";

    /** Runs {@code step} under the profiler (shapes recorded) and writes the chrome trace to {@code file}. */
    public static void record(Path file, Runnable step) {
        JniUtils.startProfile(false, true, false);
        try {
            step.run();
        } finally {
            JniUtils.stopProfile(file.toAbsolutePath().toString());
        }
    }

    /** Reads a chrome trace written by {@link #record}. */
    public static StepTrace read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<JsonNode> complete = new ArrayList<>();
        events.forEach(e -> {
            if ("X".equals(e.path("ph").asText())) {
                complete.add(e);
            }
        });
        return of(complete);
    }

    static StepTrace of(List<JsonNode> events) {
        Map<String, double[]> self = new HashMap<>(); // name -> {calls, self µs}
        Map<String, long[]> convOut = new HashMap<>(); // "input|weight" shapes -> output [N, C, H, W], from the backward
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        for (String k : List.of(MATMUL, CONV, CONV_BACKWARD)) {
            kernels.put(k, new Kernel(k, 0, 0));
        }
        Map<Object, List<JsonNode>> byThread = new HashMap<>();
        double first = Double.MAX_VALUE;
        double last = 0;
        for (JsonNode e : events) {
            byThread.computeIfAbsent(e.path("tid").asText(), t -> new ArrayList<>()).add(e);
            first = Math.min(first, e.path("ts").asDouble());
            last = Math.max(last, e.path("ts").asDouble() + e.path("dur").asDouble());
            if (e.path("name").asText().equals("aten::convolution_backward")) {
                JsonNode s = e.path("shape");
                convOut.put(s.path(1).toString() + "|" + s.path(2).toString(), longs(s.path(0)));
            }
        }
        for (List<JsonNode> thread : byThread.values()) {
            thread.sort(Comparator.comparingDouble((JsonNode e) -> e.path("ts").asDouble())
                    .thenComparing(e -> -e.path("dur").asDouble()));
            Deque<JsonNode> open = new ArrayDeque<>();
            for (JsonNode e : thread) {
                double ts = e.path("ts").asDouble();
                while (!open.isEmpty() && end(open.peek()) <= ts) {
                    open.pop();
                }
                double dur = e.path("dur").asDouble();
                String name = e.path("name").asText();
                if (!open.isEmpty()) {
                    self.computeIfAbsent(open.peek().path("name").asText(), n -> new double[2])[1] -= dur;
                }
                double[] row = self.computeIfAbsent(name, n -> new double[2]);
                row[0]++;
                row[1] += dur;
                open.push(e);
                String family = family(name);
                if (family != null) {
                    Kernel k = kernels.get(family);
                    kernels.put(family, new Kernel(family, k.gflop() + flops(name, e.path("shape"), convOut) / 1e9, k.ms() + dur / 1e3));
                }
            }
        }
        List<Op> ops = new ArrayList<>();
        self.forEach((name, row) -> ops.add(new Op(name, (int) row[0], row[1] / 1e3)));
        ops.sort(Comparator.comparingDouble(Op::selfMs).reversed());
        return new StepTrace(events.isEmpty() ? 0 : (last - first) / 1e3, List.copyOf(ops), List.copyOf(kernels.values()));
    }

    /** Total self time of all operators, ms. */
    public double selfMs() {
        return ops.stream().mapToDouble(Op::selfMs).sum();
    }

    /** The kernels' arithmetic at the best rate any of them reached, seconds: no faster step is possible here. */
    public double floorSeconds() {
        double gflop = kernels.stream().mapToDouble(Kernel::gflop).sum();
        double best = kernels.stream().mapToDouble(Kernel::gflopPerSecond).max().orElse(0);
        return best == 0 ? 0 : gflop / best;
    }

    private static double end(JsonNode e) {
        return e.path("ts").asDouble() + e.path("dur").asDouble();
    }

    private static String family(String name) {
        return switch (name) {
            case "aten::mm", "aten::bmm", "aten::addmm" -> MATMUL;
            case "aten::mkldnn_convolution", "aten::_slow_conv2d_forward", "aten::cudnn_convolution" -> CONV;
            case "aten::convolution_backward" -> CONV_BACKWARD;
            default -> null;
        };
    }

    /** 2 · multiply-adds. A forward convolution's output size comes from its backward; with none, stride 1 "same". */
    static double flops(String name, JsonNode shape, Map<String, long[]> convOut) {
        switch (name) {
            case "aten::mm": {
                long[] a = longs(shape.path(0));
                long[] b = longs(shape.path(1));
                return 2.0 * a[0] * a[1] * b[1];
            }
            case "aten::addmm": {
                long[] a = longs(shape.path(1));
                long[] b = longs(shape.path(2));
                return 2.0 * a[0] * a[1] * b[1];
            }
            case "aten::bmm": {
                long[] a = longs(shape.path(0));
                long[] b = longs(shape.path(1));
                return 2.0 * a[0] * a[1] * a[2] * b[2];
            }
            case "aten::convolution_backward":
                return convFlops(longs(shape.path(0)), longs(shape.path(2)));
            default: {
                long[] in = longs(shape.path(0));
                long[] w = longs(shape.path(1));
                long[] out = convOut.getOrDefault(shape.path(0).toString() + "|" + shape.path(1).toString(),
                        new long[] {in[0], w[0], in[2], in[3]});
                return convFlops(out, w);
            }
        }
    }

    /** Output [N, Cout, H, W], weight [Cout, Cin/groups, kh, kw]. */
    private static double convFlops(long[] out, long[] w) {
        return 2.0 * out[0] * out[1] * out[2] * out[3] * w[1] * w[2] * w[3];
    }

    private static long[] longs(JsonNode array) {
        long[] v = new long[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.path(i).asLong();
        }
        return v;
    }
}
