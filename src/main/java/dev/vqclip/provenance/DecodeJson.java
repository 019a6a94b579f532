package dev.vqclip.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The report {@code vqclip decode} prints, as JSON: one shape for the command line and the web page. */
public final class DecodeJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DecodeJson() {
    }

    /** Indented, as the command prints it. */
    public static String pretty(ProvenanceReport report, String file) {
        try {
            return JSON.writeValueAsString(of(report, file));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decode report could not be written as JSON", e);
        }
    }

    public static ObjectNode of(ProvenanceReport report, String file) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file);
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
    }}
