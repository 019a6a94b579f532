package dev.vqclip.twitter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X API v2 routes the bot uses, over the JDK HttpClient with OAuth 1.0a user-context signing. 5xx answers and
 * network errors are retried with exponential backoff and jitter; a 429 waits for {@code x-rate-limit-reset}; what
 * is left is thrown as an {@link XApiException} whose kind says what to do.
 */
public final class XApi {
    private static final Logger log = LoggerFactory.getLogger(XApi.class);
    static final String TWEET_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets";
    /** X's simple upload takes images up to 5 MB. */
    static final int MAX_IMAGE_BYTES = 5 * 1024 * 1024;
    /** Larger images go up in chunks of this size. */
    static final int CHUNK_BYTES = 1024 * 1024;

    /** Sleeps, so tests can see (and shorten) the waits. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * @param attempts  tries per request for 5xx and network errors (and 429s)
     * @param firstWait the first backoff; it doubles per try, with up to 50% jitter
     * @param maxWait   the longest single wait, rate-limit waits included
     */
    public record Retry(int attempts, Duration firstWait, Duration maxWait) {
        public Retry {
            if (attempts < 1 || firstWait.isNegative() || maxWait.compareTo(firstWait) < 0) {
                throw new IllegalArgumentException("retry needs attempts >= 1 and 0 <= first wait <= max wait, got "
                        + attempts + ", " + firstWait + ", " + maxWait);
            }
        }

        public static Retry standard() {
            return new Retry(5, Duration.ofSeconds(2), Duration.ofMinutes(15));
        }
    }

    private final HttpClient http;
    private final String apiBase;
    private final String uploadBase;
    private final OAuth1 oauth;
    private final Clock clock;
    private final Retry retry;
    private final Sleeper sleeper;
    private final ObjectMapper json = new ObjectMapper();

    public XApi(URI apiBase, URI uploadBase, OAuth1 oauth, Clock clock, Retry retry, Sleeper sleeper) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.apiBase = stripSlash(apiBase.toString());
        this.uploadBase = stripSlash((uploadBase == null ? apiBase : uploadBase).toString());
        this.oauth = oauth;
        this.clock = clock;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    /** {@code GET /2/users/me}: the bot account's id and handle. */
    public XUser me() {
        JsonNode data = send("GET", URI.create(apiBase + "/2/users/me"), null, null).path("data");
        return new XUser(text(data, "id"), text(data, "username"));
    }

    /**
     * {@code GET /2/users/{id}/mentions}, newest first, with the authors expanded.
     *
     * @param sinceId   only mentions newer than this post, or null
     * @param startTime only mentions from this time on (used when there is no since_id yet), or null
     * @param token     {@code pagination_token} from the previous page, or null for the first
     * @param maxResults 5..100
     */
    public MentionPage mentions(String userId, String sinceId, Instant startTime, String token, int maxResults) {
        Map<String, String> q = new java.util.LinkedHashMap<>();
        q.put("max_results", Integer.toString(Math.max(5, Math.min(100, maxResults))));
        q.put("tweet.fields", TWEET_FIELDS);
        q.put("expansions", "author_id");
        q.put("user.fields", "username");
        if (sinceId != null) {
            q.put("since_id", sinceId);
        } else if (startTime != null) {
            q.put("start_time", DateTimeFormatter.ISO_INSTANT.format(startTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        }
        if (token != null) {
            q.put("pagination_token", token);
        }
        JsonNode body = send("GET", URI.create(apiBase + "/2/users/" + userId + "/mentions" + query(q)), null, null);
        return new MentionPage(posts(body), textOrNull(body.path("meta"), "next_token"),
                textOrNull(body.path("meta"), "newest_id"), body.path("meta").path("result_count").asInt(0));
    }

    /** {@code GET /2/users/{id}/tweets}: the account's latest posts (up to 100), to find replies already made. */
    public List<XPost> recentPosts(String userId) {
        Map<String, String> q = Map.of("max_results", "100", "tweet.fields", TWEET_FIELDS);
        return posts(send("GET", URI.create(apiBase + "/2/users/" + userId + "/tweets" + query(q)), null, null));
    }

    /**
     * Uploads one image: {@code POST /2/media/upload} in one multipart request up to {@link #CHUNK_BYTES}, else the
     * chunked route ({@code initialize}, one {@code append} per chunk, {@code finalize}). Returns the media id.
     */
    public String uploadImage(byte[] image, String mediaType) {
        return uploadImage(image, mediaType, CHUNK_BYTES);
    }

    String uploadImage(byte[] image, String mediaType, int chunkBytes) {
        if (image.length > MAX_IMAGE_BYTES) {
            throw new XApiException(XApiException.Kind.REJECTED, 0, "the image is " + image.length
                    + " bytes; X takes images of at most " + MAX_IMAGE_BYTES, null, null);
        }
        if (image.length <= chunkBytes) {
            Multipart body = new Multipart().field("media_category", "tweet_image").field("media_type", mediaType)
                    .file("media", "image." + mediaType.substring(mediaType.indexOf('/') + 1), mediaType, image);
            return text(send("POST", URI.create(uploadBase + "/2/media/upload"), body.bytes(), body.contentType())
                    .path("data"), "id");
        }
        ObjectNode init = json.createObjectNode().put("media_type", mediaType).put("total_bytes", image.length)
                .put("media_category", "tweet_image");
        String id = text(send("POST", URI.create(uploadBase + "/2/media/upload/initialize"), bytes(init), "application/json")
                .path("data"), "id");
        for (int segment = 0, at = 0; at < image.length; segment++, at += chunkBytes) {
            byte[] chunk = java.util.Arrays.copyOfRange(image, at, Math.min(image.length, at + chunkBytes));
            Multipart body = new Multipart().field("segment_index", Integer.toString(segment))
                    .file("media", "chunk", "application/octet-stream", chunk);
            send("POST", URI.create(uploadBase + "/2/media/upload/" + id + "/append"), body.bytes(), body.contentType());
        }
        return text(send("POST", URI.create(uploadBase + "/2/media/upload/" + id + "/finalize"), null, null).path("data"),
                "id");
    }

    /** {@code POST /2/media/metadata}: the image's alt text (at most 1000 characters). */
    public void altText(String mediaId, String alt) {
        ObjectNode body = json.createObjectNode().put("id", mediaId);
        body.putObject("metadata").putObject("alt_text").put("text", cut(alt, 1000));
        send("POST", URI.create(uploadBase + "/2/media/metadata"), bytes(body), "application/json");
    }

    /** {@code POST /2/tweets} in reply to {@code inReplyTo}, with one image when {@code mediaId} is given. */
    public String reply(String text, String inReplyTo, String mediaId) {
        ObjectNode body = json.createObjectNode().put("text", text);
        body.putObject("reply").put("in_reply_to_tweet_id", inReplyTo);
        if (mediaId != null) {
            body.putObject("media").putArray("media_ids").add(mediaId);
        }
        return text(send("POST", URI.create(apiBase + "/2/tweets"), bytes(body), "application/json").path("data"), "id");
    }

    // ---- transport -------------------------------------------------------------------------------------------

    private JsonNode send(String method, URI uri, byte[] body, String contentType) {
        XApiException last = null;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", oauth.authorization(method, uri)).header("User-Agent", "vqclip");
            if (body != null) {
                request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() / 100 == 2) {
                    return json.readTree(response.body());
                }
                last = error(method, uri, response);
            } catch (IOException e) {
                last = new XApiException(XApiException.Kind.TRANSIENT, 0, method + " " + uri.getPath() + " failed: " + e, null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XApiException(XApiException.Kind.TRANSIENT, 0, method + " " + uri.getPath() + " interrupted", null, e);
            }
            if (last.kind() != XApiException.Kind.RATE_LIMITED && last.kind() != XApiException.Kind.TRANSIENT
                    || attempt == retry.attempts()) {
                throw last;
            }
            Duration wait = last.kind() == XApiException.Kind.RATE_LIMITED ? untilReset(last.retryAt()) : backoff(attempt);
            log.warn("X: {}; trying again in {} s (attempt {} of {})", last.getMessage(), wait.toMillis() / 1000.0,
                    attempt + 1, retry.attempts());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw last;
            }
        }
        throw last;
    }

    private Duration untilReset(Instant reset) {
        Duration d = reset == null ? retry.maxWait() : Duration.between(clock.instant(), reset).plusSeconds(1);
        return d.isNegative() ? Duration.ofSeconds(1) : d.compareTo(retry.maxWait()) > 0 ? retry.maxWait() : d;
    }

    private Duration backoff(int attempt) {
        long base = retry.firstWait().toMillis() << Math.min(20, attempt - 1);
        long jittered = base + (long) (base * 0.5 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.min(retry.maxWait().toMillis(), jittered));
    }

    private XApiException error(String method, URI uri, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        String detail = problem(response.body());
        String message = method + " " + uri.getPath() + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
        if (status == 429) {
            Instant reset = response.headers().firstValue("x-rate-limit-reset").map(s -> {
                try {
                    return Instant.ofEpochSecond(Long.parseLong(s.strip()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }).orElse(null);
            return new XApiException(XApiException.Kind.RATE_LIMITED, status, message, reset, null);
        }
        if (status >= 500) {
            return new XApiException(XApiException.Kind.TRANSIENT, status, message, null, null);
        }
        String lower = detail.toLowerCase(Locale.ROOT);
        boolean aboutThisPost = lower.contains("duplicate") || lower.contains("deleted") || lower.contains("not visible")
                || lower.contains("not permitted to reply") || lower.contains("not allowed to reply");
        if (status == 401 || (status == 403 && !aboutThisPost)) {
            return new XApiException(XApiException.Kind.AUTH, status, message, null, null);
        }
        return new XApiException(XApiException.Kind.REJECTED, status, message, null, null);
    }

    /** The human part of an error body: v2 problem fields, else the first of {@code errors[]}. */
    private String problem(byte[] body) {
        try {
            JsonNode n = json.readTree(body);
            if (n == null) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            for (String f : List.of("title", "detail")) {
                if (n.hasNonNull(f)) {
                    parts.add(n.get(f).asText());
                }
            }
            if (n.path("errors").isArray() && !n.path("errors").isEmpty()) {
                JsonNode e = n.path("errors").get(0);
                parts.add(e.path("message").asText(e.path("detail").asText("")));
            }
            return cut(String.join(" - ", parts), 300);
        } catch (IOException e) {
            return cut(new String(body, StandardCharsets.UTF_8), 300);
        }
    }

    private List<XPost> posts(JsonNode body) {
        Map<String, String> handles = new HashMap<>();
        for (JsonNode u : body.path("includes").path("users")) {
            handles.put(u.path("id").asText(), u.path("username").asText(null));
        }
        List<XPost> out = new ArrayList<>();
        for (JsonNode t : body.path("data")) {
            boolean retweet = false;
            String repliedTo = null;
            for (JsonNode ref : t.path("referenced_tweets")) {
                String type = ref.path("type").asText();
                if (type.equals("retweeted")) {
                    retweet = true;
                } else if (type.equals("replied_to")) {
                    repliedTo = ref.path("id").asText(null);
                }
            }
            String author = t.path("author_id").asText(null);
            String created = t.path("created_at").asText(null);
            out.add(new XPost(t.path("id").asText(), author, author == null ? null : handles.get(author),
                    t.path("text").asText(""), created == null ? null : Instant.parse(created),
                    t.path("conversation_id").asText(null), t.path("in_reply_to_user_id").asText(null), retweet, repliedTo));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new XApiException(XApiException.Kind.TRANSIENT, 200, "X's answer has no '" + field + "': " + n, null, null);
        }
        return n.get(field).asText();
    }

    private static String textOrNull(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private byte[] bytes(JsonNode n) {
        try {
            return json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of a tree always writes", e);
        }
    }

    private static String query(Map<String, String> q) {
        StringBuilder s = new StringBuilder();
        q.forEach((k, v) -> s.append(s.isEmpty() ? '?' : '&').append(OAuth1.encode(k)).append('=').append(OAuth1.encode(v)));
        return s.toString();
    }

    static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
