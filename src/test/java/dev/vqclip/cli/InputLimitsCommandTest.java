package dev.vqclip.cli;

import dev.vqclip.bench.provenance.SyntheticImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of a user's input through the real command line: exit code 2 and one error line that names the
 * file (or the value), the limit where there is one, and no stack trace.
 */
class InputLimitsCommandTest {
    private static final String VQGAN = ImagineCommandTest.VQGAN;
    private static final String CLIP = ImagineCommandTest.CLIP;

    @TempDir
    Path dir;

    /** Runs the command line; asserts exit 2 and exactly one error line (besides notes) containing every word. */
    private static String refused(String[] args, String... words) {
        String[] run = ImagineFeatureMatrixTest.run(args);
        String err = run[2].substring(0, run[2].lastIndexOf(" (args "));
        assertEquals("2", run[0], String.join(" ", args) + " -> " + run[2]);
        List<String> errors = new ArrayList<>();
        for (String line : err.split("\\R")) {
            if (!line.isBlank() && !line.startsWith("note:") && !line.startsWith("seed ")) {
                errors.add(line);
            }
        }
        assertEquals(1, errors.size(), "one error line: " + err);
        String line = errors.get(0);
        assertFalse(line.contains("Exception:") || line.contains("\tat "), "no stack trace: " + err);
        for (String w : words) {
            assertTrue(line.contains(w), "'" + w + "' in: " + line);
        }
        return line;
    }

    private Path png() throws Exception {
        Path p = dir.resolve("in.png");
        ImageIO.write(new SyntheticImages(64, 64).image(1, 1), "png", p.toFile());
        return p;
    }

    private Path fifo() throws Exception {
        Path f = dir.resolve("pipe.png");
        try {
            Process p = new ProcessBuilder("mkfifo", f.toString()).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? f : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void decodeRefusesDevicesPipesAndAtFilesInOneLine() throws Exception {
        refused(new String[] {"decode", "/dev/zero"}, "/dev/zero", "not a regular file");
        Path fifo = fifo();
        if (fifo != null) {
            refused(new String[] {"decode", fifo.toString()}, fifo.toString(), "not a regular file");
            Path link = Files.createSymbolicLink(dir.resolve("link.png"), fifo);
            refused(new String[] {"decode", link.toString()}, link.toString(), "not a regular file");
        }
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-LINE\n");
        String line = refused(new String[] {"decode", "@" + secret}, "@" + secret, "no such file");
        assertFalse(line.contains("TOP-SECRET-LINE"), "an @-file is a name, never expanded: " + line);
    }

    @Test
    void stampRefusesWhatItWouldLoseOrCannotRead() throws Exception {
        Path out = dir.resolve("out.png");
        Path in = png();
        Path unknown = dir.resolve("unknown.json");
        Files.writeString(unknown, "{\"title\": \"a cat\", \"prompt\": \"a cat\", \"steps\": 3}");
        refused(new String[] {"stamp", in.toString(), "--recipe", unknown.toString(), "--job-id", "1", "--out", out.toString()},
                "unknown.json", "prompt, steps", "settings");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, "{\"title\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        refused(new String[] {"stamp", in.toString(), "--recipe", latin1.toString(), "--job-id", "1", "--out", out.toString()},
                "latin1.json", "not UTF-8");
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "{\"settings\": " + "{\"a\": ".repeat(1000) + "1" + "}".repeat(1000) + "}");
        refused(new String[] {"stamp", in.toString(), "--recipe", deep.toString(), "--job-id", "1", "--out", out.toString()},
                "nesting depth", "64");
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"title\": \"a cat\", \"settings\": {\"prompt\": \"a cat\"}}");
        refused(new String[] {"stamp", "/dev/zero", "--recipe", good.toString(), "--job-id", "1", "--out", out.toString()},
                "not a regular file");
        Path large = dir.resolve("large.png");
        ImageIO.write(new java.awt.image.BufferedImage(2100, 2100, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                large.toFile());
        refused(new String[] {"stamp", large.toString(), "--recipe", good.toString(), "--job-id", "1", "--out", out.toString()},
                "large.png", "2100x2100", "limit of 4194304");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void imagineRefusesBeforeWorkStarts() throws Exception {
        Path out = dir.resolve("o.png");
        String[] base = {"imagine", "fog", "--models-dir", dir.toString(), "--vqgan", VQGAN, "--clip", CLIP, "--iterations", "1",
                "--cutn", "2", "--out", out.toString()};
        refused(with(base, "--size", "2048x2048"), "2048x2048", "GiB", "limit", "ask for");
        refused(with(base, "--init-image", "/dev/zero"), "init image /dev/zero", "not a regular file");
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, pngHeaderOnly(20000, 20000));
        refused(with(base, "--target-image", bomb + ":0.5"), "bomb.png", "20000x20000", "limit");
        String[] mistyped = base.clone();
        mistyped[5] = dir.resolve("vqgan_tinyy.ckpt").toString();
        refused(mistyped, "vqgan_tinyy.ckpt", "no such file");
        String[] swapped = base.clone();
        swapped[5] = CLIP;
        swapped[7] = VQGAN;
        refused(swapped, "swapped");
        assertFalse(Files.exists(out), "nothing written");
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static byte[] pngHeaderOnly(int w, int h) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put(new byte[] {8, 2, 0, 0, 0});
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        for (String[] c : new String[][] {{"IHDR"}, {"IEND"}}) {
            byte[] data = c[0].equals("IHDR") ? ihdr.array() : new byte[0];
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(c[0].getBytes(StandardCharsets.US_ASCII));
            crc.update(data);
            b.putInt(data.length).put(c[0].getBytes(StandardCharsets.US_ASCII)).put(data).putInt((int) crc.getValue());
        }
        return b.array();
    }
}
