package dev.vqclip.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads the fake's payload fixtures from {@code src/test/resources/discord-fake/} and fills their placeholders. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z_]+)}}");

    private Fixtures() {
    }

    static ObjectNode load(String name, Map<String, String> values) {
        String template = read(name);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("fixture " + name + " needs a value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        try {
            return (ObjectNode) JSON.readTree(filled.toString());
        } catch (IOException e) {
            throw new IllegalStateException("fixture " + name + " is not valid JSON once filled: " + filled, e);
        }
    }

    static String json(JsonNode node) {
        return node.toString();
    }

    private static String read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/discord-fake/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture discord-fake/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
