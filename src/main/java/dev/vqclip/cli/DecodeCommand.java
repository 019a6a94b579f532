package dev.vqclip.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import dev.vqclip.provenance.WatermarkReading;
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
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file.toString());
        o.put("format", report.format());
        o.put("width", report.width());
        o.put("height", report.height());
        ArrayNode layers = o.putArray("layers");
        report.layers().forEach(layers::add);
        report.recipe().ifPresentOrElse(r -> o.set("recipe", r.toJsonNode()), () -> o.putNull("recipe"));
        report.jobId().ifPresentOrElse(id -> o.put("job_id", id), () -> o.putNull("job_id"));
        WatermarkReading mark = report.watermark();
        if (mark != null) {
            ObjectNode w = o.putObject("watermark");
            w.put("job_id", mark.jobId());
            w.put("sync_score", Math.round(mark.syncScore() * 100) / 100.0);
            w.put("bit_margin", Math.round(mark.bitMargin() * 100) / 100.0);
            w.put("scale", Math.round(mark.scale() * 1000) / 1000.0);
        } else {
            o.putNull("watermark");
        }
        if (report.lsbMessage() != null && report.lsbPayload() == null) {
            o.put("lsb_message", report.lsbMessage());
        }
        if (!report.texts().isEmpty()) {
            ObjectNode t = o.putObject("text");
            report.texts().forEach(t::put);
        }
        if (report.xmp() != null) {
            ObjectNode x = o.putObject("xmp");
            x.put("title", report.xmp().title());
            ArrayNode creators = x.putArray("creator");
            report.xmp().creators().forEach(creators::add);
            x.put("description", report.xmp().description());
            x.put("creator_tool", report.xmp().creatorTool());
        }
        if (report.onlyWatermark()) {
            o.put("note", "only the robust watermark survived (the file was re-encoded or resized): job "
                    + mark.jobId() + "; resolve the recipe through the job database");
        } else if (!report.foundAnything()) {
            o.put("note", "no provenance layer found");
        }
        return o;
    }
}
