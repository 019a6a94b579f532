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
    void modelFilesComeInPairs() {
        ImagineCommandTest.Run r = bench("--batch", "1", "--vqgan", ImagineCommandTest.VQGAN);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--vqgan and --clip go together"), r.err());
    }
}
