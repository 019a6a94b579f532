package dev.vqclip.cli;

import dev.vqclip.bench.provenance.SyntheticImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProvenanceCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Callable<Integer> command, String... args) {
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path recipe() throws Exception {
        Path recipe = dir.resolve("recipe.json");
        Files.writeString(recipe, "{\"prompts\": [{\"text\": \"a lighthouse\", \"weight\": 1.0}, "
                + "{\"text\": \"storm\", \"weight\": 0.4}], \"seed\": \"99\", \"i\": 300, \"iterations\": 300, "
                + "\"model\": \"ImageNet 16384\", \"width\": 320, \"height\": 288, \"drawer\": \"vqgan\"}", StandardCharsets.UTF_8);
        return recipe;
    }

    private Path plainPng() throws Exception {
        Path in = dir.resolve("in.png");
        ImageIO.write(new SyntheticImages(288, 320).image(4, 2), "png", in.toFile());
        return in;
    }

    @Test
    void stampThenDecodePrintsTheRecipeWithAllLayers() throws Exception {
        Path out = dir.resolve("out.png");
        Run stamp = run(new StampCommand(), plainPng().toString(), "--recipe", recipe().toString(), "--job-id", "31337",
                "--out", out.toString());
        assertEquals(0, stamp.exit(), stamp.err());
        Run decode = run(new DecodeCommand(), out.toString());
        assertEquals(DecodeCommand.FOUND, decode.exit(), decode.err());
        JsonNode json = new ObjectMapper().readTree(decode.out());
        assertEquals("[\"lsb\",\"text\",\"xmp\",\"watermark\"]", json.get("layers").toString());
        assertEquals("a lighthouse | storm", json.at("/recipe/title").asText());
        assertEquals(0.4, json.at("/recipe/prompts/1/weight").asDouble());
        assertEquals(31337, json.get("job_id").asLong());
        assertEquals(31337, json.at("/watermark/job_id").asLong());
    }

    @Test
    void decodeOfAReEncodedCopySaysOnlyTheWatermarkSurvived() throws Exception {
        Path stamped = dir.resolve("stamped.png");
        assertEquals(0, run(new StampCommand(), plainPng().toString(), "--recipe", recipe().toString(), "--job-id", "12",
                "--out", stamped.toString()).exit());
        BufferedImage image = ImageIO.read(stamped.toFile());
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(image, 0, 0, null);
        Path jpeg = dir.resolve("copy.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (FileImageOutputStream stream = new FileImageOutputStream(jpeg.toFile())) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.75f);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        Run decode = run(new DecodeCommand(), jpeg.toString());
        assertEquals(DecodeCommand.FOUND, decode.exit(), decode.err());
        JsonNode json = new ObjectMapper().readTree(decode.out());
        assertEquals("[\"watermark\"]", json.get("layers").toString());
        assertEquals(12, json.get("job_id").asLong());
        assertTrue(json.get("note").asText().contains("only the robust watermark survived"), json.toString());
    }

    @Test
    void decodeExitCodesSayNothingFoundAndBadInput() throws Exception {
        Run plain = run(new DecodeCommand(), plainPng().toString());
        assertEquals(DecodeCommand.NOTHING_FOUND, plain.exit(), plain.out());
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not really a picture");
        Run bad = run(new DecodeCommand(), text.toString());
        assertEquals(DecodeCommand.BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("not an image"), bad.err());
        Run missing = run(new DecodeCommand(), dir.resolve("nope.png").toString());
        assertEquals(DecodeCommand.BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void stampRefusesABadRecipeAndAnOutOfRangeJobId() throws Exception {
        Path recipe = dir.resolve("bad.json");
        Files.writeString(recipe, "{\"prompts\": [");
        Run badJson = run(new StampCommand(), plainPng().toString(), "--recipe", recipe.toString(), "--job-id", "1",
                "--out", dir.resolve("o.png").toString());
        assertEquals(StampCommand.BAD_INPUT, badJson.exit());
        assertTrue(badJson.err().contains("not valid JSON"), badJson.err());
        Run badId = run(new StampCommand(), plainPng().toString(), "--recipe", recipe().toString(), "--job-id",
                Long.toString(1L << 40), "--out", dir.resolve("o.png").toString());
        assertEquals(StampCommand.BAD_INPUT, badId.exit());
        assertTrue(badId.err().contains("40 bits"), badId.err());
    }

    @Test
    void benchPrintsOneRowPerAttack() {
        Run bench = run(new ProvenanceBenchCommand(), "--images", "2", "--min-side", "200", "--max-side", "220");
        assertEquals(0, bench.exit(), bench.err());
        for (String attack : new String[] {"none", "jpeg75", "jpeg50", "downscale50", "crop10"}) {
            assertTrue(bench.out().lines().anyMatch(l -> l.startsWith(attack + " ")), attack + " row in\n" + bench.out());
        }
        assertTrue(bench.out().contains("PSNR"), bench.out());
    }
}
