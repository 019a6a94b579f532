package dev.vqclip.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.DecodeJson;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vqclip decode FILE}: prints, as JSON, the recipe and job id an image carries and which layers held them. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Read the recipe hidden in an image (LSB, PNG text/XMP, robust watermark) and print it as JSON.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:a provenance layer was found", "1:nothing found", "2:bad input (not an image, truncated, empty, too large)"})
public final class DecodeCommand implements Callable<Integer> {
    public static final int FOUND = 0;
    public static final int NOTHING_FOUND = 1;
    public static final int BAD_INPUT = 2;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "FILE", description = "PNG or JPEG file")
    Path file;

    @Spec
    CommandSpec spec;

    private final ProvenanceReader reader;

    public DecodeCommand() {
        this(new ProvenanceReader());
    }

    DecodeCommand(ProvenanceReader reader) {
        this.reader = reader;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        ProvenanceReport report;
        try {
            report = reader.read(file);
        } catch (BadImageException e) {
            String message = e.getMessage().contains(file.toString()) ? e.getMessage() : file + ": " + e.getMessage();
            spec.commandLine().getErr().println("vqclip decode: bad input: " + message);
            return BAD_INPUT;
        }
        spec.commandLine().getOut().println(JSON.writeValueAsString(toJson(report)));
        return report.foundAnything() ? FOUND : NOTHING_FOUND;
    }

    ObjectNode toJson(ProvenanceReport report) {
        return DecodeJson.of(report, file.toString());
    }
}
