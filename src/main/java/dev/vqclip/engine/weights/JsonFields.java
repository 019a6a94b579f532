package dev.vqclip.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of config fields (JSON or YAML trees), with errors that name the field and the value found. */
final class JsonFields {
    private JsonFields() {
    }

    static int integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new WeightsException("config field '" + field + "' must be an integer but is " + v);
        }
        return v.intValue();
    }

    static List<Integer> integers(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new WeightsException("config field '" + field + "' must be a list of integers but is " + v);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw new WeightsException("config field '" + field + "' must be a list of integers but is " + v);
            }
            out.add(e.intValue());
        }
        return out;
    }

    static boolean bool(JsonNode n, String field, boolean absent) {
        JsonNode v = n.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw new WeightsException("config field '" + field + "' must be true or false but is " + v);
        }
        return v.booleanValue();
    }

    static double number(JsonNode n, String field, double absent) {
        JsonNode v = n.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isNumber()) {
            throw new WeightsException("config field '" + field + "' must be a number but is " + v);
        }
        return v.doubleValue();
    }

    static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new WeightsException("config field '" + field + "' must be a mapping but is " + v);
        }
        return v;
    }
}
