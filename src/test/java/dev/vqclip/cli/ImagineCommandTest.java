package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImagineCommandTest {
    static final Path FIXTURES = TinyModels.FIXTURES;
    static final String VQGAN = TinyModels.VQGAN;
    static final String CLIP = TinyModels.CLIP;

    record Run(int exit, String out, String err) { }

    static Run imagine(Path modelsDir, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 3];
        full[0] = "imagine";
        full[1] = "--models-dir";
        full[2] = modelsDir.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        return new Run(cl.execute(full), out.toString(), err.toString());
    }

    @Test
    void theReadmeCommandWritesAStampedPngOfTheAskedSizeAndRerunsToTheSameBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        for (Path out : new Path[] {a, b}) {
            Run r = imagine(dir, "a lighthouse at dusk:1.2 | fog:-0.5", "--vqgan", VQGAN, "--clip", CLIP, "--size", "64x48",
                    "--iterations", "30", "--seed", "7", "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
        }
        BufferedImage img = ImageIO.read(a.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        ProvenanceReport report = new ProvenanceReader().read(a);
        assertTrue(report.layers().contains("lsb"), report.layers().toString());
        assertEquals("7", report.recipe().orElseThrow().seed());
        assertEquals("a lighthouse at dusk", report.recipe().orElseThrow().prompts().get(0).text());
        assertEquals(-0.5, report.recipe().orElseThrow().prompts().get(1).weight());
    }

    @Test
    void aSizeOffTheLatentGridIsFlooredAndSaid(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o.png");
        Run r = imagine(dir, "fog", "--vqgan", VQGAN, "--clip", CLIP, "--size", "66x50", "--iterations", "2", "--cutn", "4",
                "--seed", "1", "--save-every", "1", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("floored to 64x48"), r.err());
        assertEquals(64, ImageIO.read(out.toFile()).getWidth());
        assertTrue(Files.exists(dir.resolve("o-00000.png")), "numbered preview for --save-every");
        assertTrue(Files.exists(dir.resolve("o-00001.png")), "numbered preview for --save-every");
    }

    @Test
    void badInputGetsASpecificErrorAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("o.png");
        Run empty = imagine(dir, "cat | ", "--vqgan", VQGAN, "--clip", CLIP, "--out", out.toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().toLowerCase().contains("empty"), empty.err());

        Run size = imagine(dir, "cat", "--vqgan", VQGAN, "--clip", CLIP, "--size", "64by48", "--out", out.toString());
        assertEquals(2, size.exit());
        assertTrue(size.err().contains("WIDTHxHEIGHT"), size.err());

        Run drawer = imagine(dir, "cat", "--vqgan", VQGAN, "--clip", CLIP, "--drawer", "oil", "--iterations", "1",
                "--out", out.toString());
        assertEquals(2, drawer.exit());
        assertTrue(drawer.err().contains("unknown drawer 'oil'"), drawer.err());

        Run missing = imagine(dir, "cat", "--vqgan", dir.resolve("nope.ckpt").toString() + "x", "--clip", CLIP,
                "--out", out.toString());
        assertEquals(2, missing.exit(), missing.err());
        assertFalse(Files.exists(out));
    }
}
