package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every {@code imagine} flag docs/imagine.md documents, run through the real command line with the tiny models at a
 * few iterations: each row must write a PNG of the effective size whose {@code decode} gives back the settings
 * the row asked for.
 */
class ImagineFeatureMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path picture;

    @BeforeAll
    static void writeInputImages() throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 128);
            }
        }
        picture = dir.resolve("picture.png");
        ImageIO.write(img, "png", picture.toFile());
    }

    /** name, extra flags, expected output size, expected {@code decode} fields (dotted paths into its JSON). */
    static Stream<Arguments> rows() {
        return Stream.of(
                row("weights, stops, original cuts, adamw", "a lighthouse at dusk:1.2:-0.8 | fog:-0.5", "48x48",
                        List.of("--cut-method", "original", "--cut-pow", "0.8", "--optimizer", "adamw", "--lr", "0.05"),
                        Map.of("recipe.settings.prompt", "a lighthouse at dusk:1.2:-0.8 | fog:-0.5", "recipe.prompts.1.weight", "-0.5",
                                "recipe.settings.cut_method", "original", "recipe.settings.cut_pow", "0.8",
                                "recipe.settings.optimizer", "adamw", "recipe.settings.lr", "0.05", "recipe.width", "48")),
                row("schedule, noise prompts, gradient noise", "red sky ^ blue sea ^ green hill", "64x48",
                        List.of("--change-every", "1", "--noise-prompt", "3:0.5", "--noise-prompt", "4", "--init-noise", "gradient"),
                        Map.of("recipe.settings.prompt", "red sky:1.0 ^ blue sea:1.0 ^ green hill:1.0",
                                "recipe.settings.change_every", "1", "recipe.settings.noise_prompts", "3:0.5 | 4:1.0",
                                "recipe.settings.init_noise", "gradient")),
                row("init and target images, memory flags, previews, floored size", "fog", "66x50",
                        List.of("--init-image", "PICTURE", "--init-weight", "0.5", "--target-image", "PICTURE:0.7:-0.9",
                                "--clip-batch", "2", "--checkpoint-decoder", "--save-every", "1"),
                        Map.of("recipe.settings.init_image", "PICTURE", "recipe.settings.init_weight", "0.5",
                                "recipe.settings.target_images", "PICTURE:0.7:-0.9", "recipe.input_images", "true",
                                "recipe.settings.save_every", "1", "recipe.width", "64", "recipe.height", "48")),
                row("target image with original cuts, pixel noise", "fog", "64x32",
                        List.of("--target-image", "PICTURE", "--cut-method", "original", "--init-noise", "pixels"),
                        Map.of("recipe.settings.target_images", "PICTURE:1.0", "recipe.settings.cut_method", "original",
                                "recipe.settings.init_noise", "pixels")),
                row("pixel drawer at a size off the grid, truncate", "a very long prompt about many things that goes on and on",
                        "50x37", List.of("--drawer", "pixel", "--truncate"),
                        Map.of("recipe.drawer", "pixel", "recipe.width", "50", "recipe.height", "37")),
                row("via the queue with a target image", "fog", "64x48",
                        List.of("--via-queue", "--db", "DB", "--target-image", "PICTURE:0.5"),
                        Map.of("recipe.settings.target_images", "PICTURE:0.5")));
    }

    private static Arguments row(String name, String prompt, String size, List<String> flags, Map<String, String> expect) {
        return Arguments.of(name, prompt, size, flags, expect);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachDocumentedFlagRendersAndDecodesBack(String name, String prompt, String size, List<String> flags,
                                                 Map<String, String> expect) throws Exception {
        Path out = dir.resolve(name.replaceAll("[^a-z]+", "-") + ".png");
        List<String> args = new ArrayList<>(List.of("imagine", prompt, "--models-dir", dir.toString(),
                "--vqgan", ImagineCommandTest.VQGAN, "--clip", ImagineCommandTest.CLIP, "--size", size,
                "--iterations", "2", "--cutn", "4", "--seed", "11", "--out", out.toString()));
        for (String f : flags) {
            args.add(substitute(f, out));
        }
        String[] run = run(args.toArray(String[]::new));
        assertEquals("0", run[0], name + ": " + run[2]);
        assertTrue(!run[1].contains("GPU") && !run[2].contains("GPU"), name + ": a CPU run says nothing of GPUs: " + run[1]);

        BufferedImage img = ImageIO.read(out.toFile());
        if (flags.contains("--save-every")) {
            String stem = out.getFileName().toString().replace(".png", "");
            assertTrue(Files.exists(out.resolveSibling(stem + "-00001.png")), "preview written for --save-every");
        }

        String[] decoded = run("decode", out.toString());
        assertEquals("0", decoded[0], decoded[2]);
        JsonNode report = JSON.readTree(decoded[1]);
        assertEquals("11", report.at("/recipe/seed").asText(), name);
        assertEquals(2, report.at("/recipe/iterations").asInt(), name);
        assertEquals(report.at("/recipe/width").asInt(), img.getWidth(), name);
        assertEquals(report.at("/recipe/height").asInt(), img.getHeight(), name);
        assertEquals(4, report.at("/recipe/settings/cutn").asInt(), name);
        for (Map.Entry<String, String> e : expect.entrySet()) {
            JsonNode v = report.at("/" + e.getKey().replace('.', '/'));
            assertTrue(!v.isMissingNode(), name + ": decode has no " + e.getKey() + " in " + decoded[1]);
            assertEquals(substitute(e.getValue(), out), v.asText(), name + ": " + e.getKey());
        }
    }

    private static String substitute(String s, Path out) {
        return s.replace("PICTURE", picture.toString())
                .replace("DB", "jdbc:h2:file:" + out.resolveSibling(out.getFileName() + "-db").toAbsolutePath());
    }

    /** exit code, stdout, stderr of one in-process command line. */
    static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {Integer.toString(exit), out.toString(), err.toString() + " (args " + Arrays.toString(args) + ")"};
    }
}
