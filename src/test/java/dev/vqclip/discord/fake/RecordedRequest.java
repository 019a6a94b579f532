package dev.vqclip.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One REST call JDA made to the fake, as the fake understood it.
 *
 * @param path     the route below the API root, e.g. {@code channels/1/messages/2}
 * @param payload  the JSON body, or the {@code payload_json} part of a multipart body; null when there was none
 * @param files    the uploaded files of a multipart body
 * @param status   what the fake answered
 * @param response the JSON the fake answered with, or null
 * @param atNanos  System.nanoTime() when the fake received it
 */
public record RecordedRequest(String method, String path, String query, JsonNode payload,
                              List<Multipart.Part> files, int status, JsonNode response,
                              long atNanos) {

    public boolean is(String method, String pathRegex) {
        return this.method.equals(method) && path.matches(pathRegex);
    }

    public boolean isChannelMessagePost() {
        return is("POST", "channels/\\d+/messages");
    }

    public boolean isChannelMessageEdit() {
        return is("PATCH", "channels/\\d+/messages/\\d+");
    }

    public boolean isInteractionCallback() {
        return is("POST", "interactions/\\d+/[^/]+/callback");
    }

    /** The message id of a {@code channels/{c}/messages/{m}} route. */
    public String messageId() {
        String[] segments = path.split("/");
        return segments[segments.length - 1];
    }

    public String content() {
        return payload == null || !payload.has("content") ? null : payload.get("content").asText();
    }

    /** The names of the uploaded files, in upload order. */
    public List<String> filenames() {
        return files.stream().map(Multipart.Part::filename).toList();
    }

    /** The bytes of the uploaded file named {@code filename}, or null when there is none. */
    public byte[] file(String filename) {
        return files.stream().filter(f -> filename.equals(f.filename())).map(Multipart.Part::bytes).findFirst()
                .orElse(null);
    }

    public boolean hasFile(String filenamePrefix) {
        return files.stream().anyMatch(f -> f.filename() != null && f.filename().startsWith(filenamePrefix));
    }

    /** The custom ids of every button in the payload's components. */
    public List<String> buttonIds() {
        if (payload == null || !payload.has("components")) {
            return List.of();
        }
        return payload.get("components").findValues("custom_id").stream().map(JsonNode::asText).toList();
    }

    /** The id of the message the fake created or edited for this request. */
    public String responseMessageId() {
        if (response == null || !response.has("id")) {
            throw new IllegalStateException(method + " " + path + " answered no message (status " + status + ")");
        }
        return response.get("id").asText();
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
