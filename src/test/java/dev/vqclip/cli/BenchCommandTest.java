package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    static ImagineCommandTest.Run bench(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        return new ImagineCommandTest.Run(cl.execute(full), out.toString(), err.toString());
    }

    @Test
    void batchPrintsOneRowPerBatchSizeWithTheGainOverTheFirst() {
        ImagineCommandTest.Run r = bench("--batch", "1,2", "--vqgan", ImagineCommandTest.VQGAN, "--clip", ImagineCommandTest.CLIP,
                "--size", "32x32", "--cutn", "2", "-i", "2", "--warmup", "0");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("given models, 32x32, cutn 2"), lines.get(0));
        assertTrue(lines.get(1).contains("job-iter/s") && lines.get(1).contains("gain vs B=1"), lines.get(1));
        assertEquals(4, lines.size(), r.out());
        String[] first = lines.get(2).trim().split("\\s+");
        String[] second = lines.get(3).trim().split("\\s+");
        assertEquals("1", first[0]);
        assertEquals("1.00", first[4], Arrays.toString(first));
        assertEquals("2", second[0]);
        double throughput1 = Double.parseDouble(first[3]);
        double throughput2 = Double.parseDouble(second[3]);
        assertEquals(throughput2 / throughput1, Double.parseDouble(second[4]), 0.01, Arrays.toString(second));
    }

    @Test
    void batchRowsGiveImagesPerHourForTheJobLengthAndRunWithTheSinglePathsMemoryPlan() {
        ImagineCommandTest.Run r = bench("--batch", "1,2", "--vqgan", ImagineCommandTest.VQGAN, "--clip", ImagineCommandTest.CLIP,
                "--size", "32x32", "--cutn", "2", "-i", "2", "--warmup", "0", "--job-iterations", "100",
                "--checkpoint-decoder", "--clip-batch", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("clip batch 1, checkpoint decoder all"), lines.get(0));
        assertTrue(lines.get(0).contains("images/hour for 100-iteration jobs"), lines.get(0));
        assertTrue(lines.get(1).contains("images/hour"), lines.get(1));
        for (String row : lines.subList(2, 4)) {
            String[] cells = row.trim().split("\\s+");
            double jobIterationsPerSecond = Double.parseDouble(cells[3]);
            assertEquals(jobIterationsPerSecond * 36, Double.parseDouble(cells[5]), 0.06 + jobIterationsPerSecond * 0.036, row);
        }
    }

    @Test
    void theJobLengthMustBePositive() {
        ImagineCommandTest.Run r = bench("--batch", "1", "--job-iterations", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--job-iterations must be >= 1, got 0"), r.err());
    }

    @Test
    void theDecoderProfileTimesEveryStageInOrder() throws Exception {
        ImagineCommandTest.Run r = bench("--profile-decoder", "--vqgan", ImagineCommandTest.VQGAN, "--clip",
                ImagineCommandTest.CLIP, "--size", "32x32", "-i", "1");
        assertEquals(0, r.exit(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
        var stages = json.get("stages");
        assertEquals("post_quant_conv", stages.get(0).get("stage").asText());
        assertEquals("conv_in+mid", stages.get(1).get("stage").asText());
        assertEquals("norm_out+conv_out", stages.get(stages.size() - 1).get("stage").asText());
        assertTrue(stages.get(stages.size() - 1).get("shape").asText().contains("(1, 3, 32, 32)"),
                stages.get(stages.size() - 1).toString());
        double forward = 0;
        double backward = 0;
        for (var st : stages) {
            assertTrue(st.get("forward_ms").asDouble() > 0 && st.get("backward_ms").asDouble() > 0, st.toString());
            forward += st.get("forward_ms").asDouble();
            backward += st.get("backward_ms").asDouble();
        }
        assertEquals(forward, json.get("forward_ms").asDouble(), 0.001 * stages.size() + 1e-6);
        assertEquals(backward, json.get("backward_ms").asDouble(), 0.001 * stages.size() + 1e-6);
    }

    @Test
    void theOpProfileTimesEachBuildingBlockAndItsAlternatives() throws Exception {
        ImagineCommandTest.Run r = bench("--profile-ops", "--size", "16x16", "-i", "1");
        assertEquals(0, r.exit(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
        List<String> ops = new java.util.ArrayList<>();
        json.get("ops").forEach(op -> {
            ops.add(op.get("op").asText());
            assertTrue(op.get("forward_ms").asDouble() > 0 && op.get("backward_ms").asDouble() > 0, op.toString());
        });
        assertEquals(List.of("conv 3x3 128->128, NCHW input", "conv 3x3 128->128, channels-last input",
                "group norm (layerNorm + affine)", "swish x*sigmoid(x)", "conv_out 128->3, padded to 16",
                "conv_out 128->3, unpadded", "nearest x2 by interpolate", "nearest x2 by repeat"), ops);
        assertEquals("16x16", json.get("size").asText());
    }

    @Test
    void aTracedStepReportsItsOperatorsAndTheKernelsArithmetic(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path trace = dir.resolve("step.json");
        ImagineCommandTest.Run r = bench("--vqgan", ImagineCommandTest.VQGAN, "--clip", ImagineCommandTest.CLIP,
                "--size", "32x32", "--cutn", "2", "-i", "1", "--warmup", "0", "--trace", trace.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(java.nio.file.Files.size(trace) > 0, "the chrome trace is written");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
        var t = json.get("trace");
        assertEquals(trace.toString(), t.get("file").asText());
        assertEquals(3, t.get("kernels").size(), t.toString());
        t.get("kernels").forEach(k -> assertTrue(k.get("gflop").asDouble() > 0 && k.get("ms").asDouble() > 0, k.toString()));
        double floor = t.get("arithmetic_floor_s").asDouble();
        assertTrue(floor > 0 && floor * 1e3 < t.get("step_ms").asDouble(), t.toString());
        List<String> ops = new java.util.ArrayList<>();
        t.get("top_ops").forEach(op -> ops.add(op.get("op").asText()));
        assertTrue(ops.contains("aten::convolution_backward"), ops.toString());
    }

    @Test
    void modelFilesComeInPairs() {
        ImagineCommandTest.Run r = bench("--batch", "1", "--vqgan", ImagineCommandTest.VQGAN);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--vqgan and --clip go together"), r.err());
    }
}
