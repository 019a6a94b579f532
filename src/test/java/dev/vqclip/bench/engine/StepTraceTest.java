package dev.vqclip.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StepTraceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String name, double ts, double dur, String shape) throws Exception {
        return JSON.readTree("{\"name\":\"" + name + "\",\"ph\":\"X\",\"ts\":" + ts + ",\"dur\":" + dur
                + ",\"tid\":1,\"pid\":\"CPU Functions\",\"shape\":" + shape + "}");
    }

    @Test
    void selfTimeIsAnOperatorsOwnTimeWithoutItsChildren() throws Exception {
        List<JsonNode> events = new ArrayList<>(List.of(
                event("aten::linear", 0, 100, "[[4, 8], [16, 8]]"),
                event("aten::mm", 10, 80, "[[4, 8], [8, 16]]"),
                event("aten::empty", 20, 5, "[]"),
                event("aten::add", 200, 50, "[[4, 16], [4, 16]]")));
        StepTrace t = StepTrace.of(events);
        Map<String, Double> self = t.ops().stream().collect(Collectors.toMap(StepTrace.Op::name, StepTrace.Op::selfMs));
        assertEquals(0.020, self.get("aten::linear"), 1e-9);
        assertEquals(0.075, self.get("aten::mm"), 1e-9);
        assertEquals(0.005, self.get("aten::empty"), 1e-9);
        assertEquals(0.050, self.get("aten::add"), 1e-9);
        assertEquals(0.150, t.selfMs(), 1e-9);
        assertEquals(0.250, t.stepMs(), 1e-9);
        assertEquals("aten::mm", t.ops().get(0).name(), "sorted by self time");
    }

    @Test
    void kernelsCountTwoFlopsPerMultiplyAdd() throws Exception {
        StepTrace t = StepTrace.of(List.of(
                event("aten::mm", 0, 1000, "[[4, 8], [8, 16]]"),                      // 2·4·8·16 = 1024
                event("aten::bmm", 2000, 1000, "[[3, 4, 8], [3, 8, 16]]"),            // 3 · 1024
                event("aten::addmm", 4000, 1000, "[[16], [4, 8], [8, 16]]"),          // 1024
                // a valid 3x3 convolution: its output size comes from its backward
                event("aten::mkldnn_convolution", 6000, 1000, "[[1, 3, 8, 8], [4, 3, 3, 3], [4], [], [], [], []]"),
                event("aten::convolution_backward", 8000, 2000, "[[1, 4, 6, 6], [1, 3, 8, 8], [4, 3, 3, 3], [], [], [], [], [], [], [], []]"),
                // no backward for this one: stride 1, same size
                event("aten::mkldnn_convolution", 11000, 1000, "[[1, 2, 5, 5], [2, 2, 1, 1], [2], [], [], [], []]")));
        Map<String, StepTrace.Kernel> k = t.kernels().stream().collect(Collectors.toMap(StepTrace.Kernel::name, x -> x));
        StepTrace.Kernel mm = k.get("matrix products (mm, bmm, addmm)");
        assertEquals(5 * 1024 / 1e9, mm.gflop(), 1e-15);
        assertEquals(3.0, mm.ms(), 1e-9);
        double valid = 2.0 * 4 * 6 * 6 * 3 * 3 * 3;
        double pointwise = 2.0 * 2 * 5 * 5 * 2;
        assertEquals((valid + pointwise) / 1e9, k.get("convolutions, forward").gflop(), 1e-15);
        assertEquals(valid / 1e9, k.get("convolutions, input gradient").gflop(), 1e-15);
        assertEquals(valid / 1e9 / 2.0 * 1e3, k.get("convolutions, input gradient").gflopPerSecond(), 1e-12);
        double best = (valid + pointwise) / 1e9 / 2.0 * 1e3; // the forward convolutions' rate is the best
        assertEquals(best, k.get("convolutions, forward").gflopPerSecond(), 1e-12);
        double all = (5 * 1024 + valid * 2 + pointwise) / 1e9;
        assertEquals(all / best, t.floorSeconds(), 1e-12);
    }
}
