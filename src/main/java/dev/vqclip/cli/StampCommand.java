package dev.vqclip.cli;

import dev.vqclip.provenance.ImageLoader;
import dev.vqclip.provenance.ProvenanceException;
import dev.vqclip.provenance.ProvenancePayload;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.provenance.WatermarkPayload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import dev.vqclip.provenance.InputFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vqclip stamp IN --recipe recipe.json --job-id ID --out OUT.png}: writes a PNG with all provenance layers. */
@Command(name = "stamp", mixinStandardHelpOptions = true,
        description = "Write IN as a PNG carrying the recipe (Stegano LSB, PNG text + XMP) and the job id (robust watermark).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stamped", "2:bad input (unreadable image or recipe, recipe too large for the image, bad job id)"})
public final class StampCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int BAD_INPUT = 2;
    /** A recipe is a few KB; the LSB layer of the largest image we stamp holds about 1.5 MB. */
    static final long MAX_RECIPE_BYTES = 1 << 20;
    /** Marking takes about 5 µs per pixel: 2048x2048 is ~20 s; larger inputs are refused up front. */
    static final long MAX_PIXELS = 2048L * 2048L;

    @Parameters(index = "0", paramLabel = "IN", description = "input image (PNG or JPEG)")
    Path input;

    @Option(names = "--recipe", required = true, paramLabel = "JSON", description = "recipe JSON file (the payload keys)")
    Path recipe;

    @Option(names = "--job-id", required = true, paramLabel = "ID", description = "job id, 0.." + WatermarkPayload.MAX_JOB_ID)
    long jobId;

    @Option(names = "--out", required = true, paramLabel = "OUT.png", description = "output PNG")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            if (jobId < 0 || jobId > WatermarkPayload.MAX_JOB_ID) {
                throw new ProvenanceException("--job-id must be in 0.." + WatermarkPayload.MAX_JOB_ID + " (40 bits), got " + jobId);
            }
            String json = utf8(InputFiles.read(recipe, MAX_RECIPE_BYTES, "recipe"));
            List<String> unknown = ProvenancePayload.unknownKeys(json);
            if (!unknown.isEmpty()) {
                throw new ProvenanceException("recipe " + recipe + " has keys a recipe does not have: " + String.join(", ", unknown)
                        + " (they would be lost); put them under \"settings\", which is kept as is. Known keys: "
                        + String.join(", ", ProvenancePayload.KEYS));
            }
            ProvenancePayload payload = ProvenancePayload.fromJson(json);
            var image = new ImageLoader(MAX_PIXELS).load(input, "input image").image();
            byte[] png = new Stamper(Watermark.standard(), software()).stamp(image, payload, jobId);
            Files.write(output, png);
        } catch (ProvenanceException e) {
            spec.commandLine().getErr().println("vqclip stamp: " + e.getMessage());
            return BAD_INPUT;
        } catch (IOException e) {
            spec.commandLine().getErr().println("vqclip stamp: cannot read or write a file: " + e);
            return BAD_INPUT;
        }
        spec.commandLine().getOut().println("stamped " + output + " (job " + jobId + ")");
        return OK;
    }

    private String utf8(byte[] bytes) throws ProvenanceException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ProvenanceException("recipe " + recipe + " is not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }

    private static String software() {
        String version = StampCommand.class.getPackage().getImplementationVersion();
        return "vqclip " + (version == null ? "dev" : version);
    }
}
