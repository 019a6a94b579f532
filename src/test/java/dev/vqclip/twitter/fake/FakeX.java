package dev.vqclip.twitter.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vqclip.twitter.OAuth1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback X API v2: users/me, mentions (since_id, start_time, pagination, the author_id expansion, rate-limit
 * headers), the account's posts, media upload and metadata, and posting. Every request's OAuth 1.0a signature is
 * recomputed from what arrived; a wrong one gets 401 and is counted in {@link #badSignatures()}. Faults can be queued
 * per route.
 */
public final class FakeX implements AutoCloseable {
    public static final String API_KEY = "fake-consumer-key";
    public static final String API_SECRET = "fake-consumer-secret";
    public static final String ACCESS_TOKEN = "1000-fake-access-token";
    public static final String ACCESS_SECRET = "fake-access-secret";
    public static final String BOT_ID = "1000";
    public static final String BOT_HANDLE = "vqclipbot";

    /** A post held by the fake. */
    public record Post(String id, String authorId, String username, String text, Instant createdAt, String conversationId,
                       String repliedTo, List<String> mediaIds) {
    }

    /** A canned answer for the next request(s) whose path starts with {@code pathPrefix}. */
    public record Fault(String method, String pathPrefix, int status, String body, long resetEpochSecond) {
    }

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong(1_700_000_000_000_000_000L);
    private final List<Post> mentions = new CopyOnWriteArrayList<>();
    private final List<Post> replies = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final Map<String, String> altTexts = new ConcurrentHashMap<>();
    private final Map<String, Instant> firstServed = new ConcurrentHashMap<>();
    private final Map<String, Instant> repliedAt = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final Set<String> reposts = ConcurrentHashMap.newKeySet();
    private volatile int signedRequests;
    private volatile int chunkedUploads;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public FakeX() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A mention of the bot by {@code username}; returns its id (ids grow with time, like X's). */
    public String mention(String authorId, String username, String text, Instant createdAt) {
        return mentionIn(null, authorId, username, text, createdAt, false);
    }

    /**
     * A mention in thread {@code conversationId} (null: a new thread), or a repost of someone's mention when
     * {@code repost}.
     */
    public String mentionIn(String conversationId, String authorId, String username, String text, Instant createdAt,
                            boolean repost) {
        String id = Long.toString(ids.incrementAndGet());
        mentions.add(new Post(id, authorId, username, text, createdAt, conversationId == null ? id : conversationId,
                conversationId, List.of()));
        if (repost) {
            reposts.add(id);
        }
        return id;
    }

    public synchronized void fault(Fault f) {
        faults.add(f);
    }

    public List<Post> replies() {
        return List.copyOf(replies);
    }

    public byte[] media(String mediaId) {
        return media.get(mediaId);
    }

    public Map<String, String> altTexts() {
        return Map.copyOf(altTexts);
    }

    public Instant firstServed(String mentionId) {
        return firstServed.get(mentionId);
    }

    public Instant repliedAt(String mentionId) {
        return repliedAt.get(mentionId);
    }

    /** Method and path (with query) of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public List<String> badSignatures() {
        return List.copyOf(badSignatures);
    }

    public int signedRequests() {
        return signedRequests;
    }

    /** Takes the first queued fault matching the request, if any. */
    private synchronized Fault takeFault(String method, String path) {
        for (Fault f : faults) {
            if (f.method().equals(method) && path.startsWith(f.pathPrefix())) {
                faults.remove(f);
                return f;
            }
        }
        return null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            URI uri = ex.getRequestURI();
            String path = uri.getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.add(method + " " + uri);
            String why = checkSignature(ex, method, uri);
            if (why != null) {
                badSignatures.add(method + " " + uri + ": " + why);
                send(ex, 401, problem("Unauthorized", why, 401), 0);
                return;
            }
            signedRequests++;
            Fault f = takeFault(method, path);
            if (f != null) {
                send(ex, f.status(), f.body(), f.resetEpochSecond());
                return;
            }
            Map<String, String> q = query(uri);
            if (method.equals("GET") && path.equals("/2/users/me")) {
                send(ex, 200, "{\"data\":{\"id\":\"" + BOT_ID + "\",\"name\":\"vqclip\",\"username\":\"" + BOT_HANDLE + "\"}}", 0);
            } else if (method.equals("GET") && path.equals("/2/users/" + BOT_ID + "/mentions")) {
                mentionsPage(ex, q);
            } else if (method.equals("GET") && path.equals("/2/users/" + BOT_ID + "/tweets")) {
                ObjectNode out = json.createObjectNode();
                ArrayNode data = out.putArray("data");
                replies.stream().sorted(Comparator.comparing((Post p) -> Long.parseLong(p.id())).reversed()).limit(100)
                        .forEach(p -> data.add(post(p)));
                out.putObject("meta").put("result_count", data.size());
                send(ex, 200, out.toString(), 0);
            } else if (method.equals("POST") && path.equals("/2/media/upload")) {
                upload(ex, body);
            } else if (method.equals("POST") && path.equals("/2/media/upload/initialize")) {
                JsonNode n = json.readTree(body);
                String id = Long.toString(ids.incrementAndGet());
                sessions.put(id, new Session(n.path("total_bytes").asInt(), new java.util.TreeMap<>()));
                send(ex, 200, "{\"data\":{\"id\":\"" + id + "\",\"media_key\":\"3_" + id + "\",\"expires_after_secs\":86400}}", 0);
            } else if (method.equals("POST") && path.matches("/2/media/upload/\\d+/(append|finalize)")) {
                chunk(ex, path, body);
            } else if (method.equals("POST") && path.equals("/2/media/metadata")) {
                JsonNode n = json.readTree(body);
                String id = n.path("id").asText();
                if (!media.containsKey(id)) {
                    send(ex, 400, problem("Invalid Request", "unknown media id " + id, 400), 0);
                    return;
                }
                altTexts.put(id, n.path("metadata").path("alt_text").path("text").asText());
                send(ex, 200, "{\"data\":{\"associated_metadata\":true}}", 0);
            } else if (method.equals("POST") && path.equals("/2/tweets")) {
                createPost(ex, json.readTree(body));
            } else {
                send(ex, 404, problem("Not Found", method + " " + path + " is not a route of this fake", 404), 0);
            }
        } catch (RuntimeException e) {
            send(ex, 500, problem("Internal Error", e.toString(), 500), 0);
        }
    }

    /** Recomputes the signature from the request as received; null when it matches. */
    private String checkSignature(HttpExchange ex, String method, URI uri) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return "no OAuth Authorization header";
        }
        Map<String, String> oauth = new LinkedHashMap<>();
        for (String part : header.substring(6).split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.endsWith("\"") || p.charAt(eq + 1) != '"') {
                return "malformed header part '" + p + "'";
            }
            oauth.put(decode(p.substring(0, eq)), decode(p.substring(eq + 2, p.length() - 1)));
        }
        String given = oauth.remove("oauth_signature");
        if (given == null || !API_KEY.equals(oauth.get("oauth_consumer_key")) || !ACCESS_TOKEN.equals(oauth.get("oauth_token"))
                || !"HMAC-SHA1".equals(oauth.get("oauth_signature_method")) || !"1.0".equals(oauth.get("oauth_version"))) {
            return "wrong or missing oauth_* parameters " + oauth.keySet();
        }
        long ts = Long.parseLong(oauth.getOrDefault("oauth_timestamp", "0"));
        if (Math.abs(ts - Instant.now().getEpochSecond()) > 300) {
            return "timestamp " + ts + " is more than 5 minutes off";
        }
        if (!nonces.add(oauth.get("oauth_nonce"))) {
            return "nonce " + oauth.get("oauth_nonce") + " was used before";
        }
        List<Map.Entry<String, String>> params = new ArrayList<>(OAuth1.queryParameters(uri));
        params.addAll(oauth.entrySet());
        String host = ex.getRequestHeaders().getFirst("Host");
        String expected = OAuth1.signature(method, "http://" + host + uri.getRawPath(), params, API_SECRET, ACCESS_SECRET);
        return expected.equals(given) ? null : "signature " + given + " but the request's is " + expected;
    }

    private void mentionsPage(HttpExchange ex, Map<String, String> q) throws IOException {
        int max = Integer.parseInt(q.getOrDefault("max_results", "10"));
        if (max < 5 || max > 100) {
            send(ex, 400, problem("Invalid Request", "max_results must be 5..100", 400), 0);
            return;
        }
        if (!"author_id".equals(q.get("expansions"))) {
            send(ex, 400, problem("Invalid Request", "this fake expects expansions=author_id", 400), 0);
            return;
        }
        long since = q.containsKey("since_id") ? Long.parseLong(q.get("since_id")) : Long.MIN_VALUE;
        Instant start = q.containsKey("start_time") ? Instant.parse(q.get("start_time")) : Instant.MIN;
        List<Post> all = mentions.stream().filter(p -> Long.parseLong(p.id()) > since && !p.createdAt().isBefore(start))
                .sorted(Comparator.comparing((Post p) -> Long.parseLong(p.id())).reversed()).toList();
        int from = q.containsKey("pagination_token") ? Integer.parseInt(q.get("pagination_token").substring(1)) : 0;
        List<Post> page = all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()));
        ObjectNode out = json.createObjectNode();
        ArrayNode data = json.createArrayNode();
        ArrayNode users = json.createArrayNode();
        Set<String> seen = new HashSet<>();
        for (Post p : page) {
            data.add(post(p));
            firstServed.putIfAbsent(p.id(), Instant.now());
            if (seen.add(p.authorId())) {
                users.addObject().put("id", p.authorId()).put("name", p.username()).put("username", p.username());
            }
        }
        if (!page.isEmpty()) {
            out.set("data", data);
            out.putObject("includes").set("users", users);
        }
        ObjectNode meta = out.putObject("meta").put("result_count", page.size());
        if (!page.isEmpty()) {
            meta.put("newest_id", page.get(0).id()).put("oldest_id", page.get(page.size() - 1).id());
        }
        if (from + max < all.size()) {
            meta.put("next_token", "p" + (from + max));
        }
        send(ex, 200, out.toString(), 0);
    }

    private ObjectNode post(Post p) {
        ObjectNode n = json.createObjectNode().put("id", p.id()).put("text", p.text()).put("author_id", p.authorId())
                .put("created_at", p.createdAt().toString()).put("conversation_id", p.conversationId());
        if (reposts.contains(p.id())) {
            n.putArray("referenced_tweets").addObject().put("type", "retweeted").put("id", p.conversationId());
        } else if (p.repliedTo() != null) {
            n.putArray("referenced_tweets").addObject().put("type", "replied_to").put("id", p.repliedTo());
        }
        return n;
    }

    private void upload(HttpExchange ex, byte[] body) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        Map<String, byte[]> parts = Multipart.parse(type, body);
        byte[] bytes = parts.get("media");
        if (bytes == null || !"tweet_image".equals(text(parts.get("media_category")))) {
            send(ex, 400, problem("Invalid Request", "an image upload needs media and media_category=tweet_image", 400), 0);
            return;
        }
        String id = Long.toString(ids.incrementAndGet());
        media.put(id, bytes);
        send(ex, 200, "{\"data\":{\"id\":\"" + id + "\",\"media_key\":\"3_" + id + "\",\"size\":" + bytes.length
                + ",\"expires_after_secs\":86400}}", 0);
    }

    private record Session(int totalBytes, Map<Integer, byte[]> segments) {
    }

    private void chunk(HttpExchange ex, String path, byte[] body) throws IOException {
        String id = path.split("/")[4];
        Session session = sessions.get(id);
        if (session == null) {
            send(ex, 400, problem("Invalid Request", "no upload session " + id, 400), 0);
            return;
        }
        if (path.endsWith("/append")) {
            Map<String, byte[]> parts = Multipart.parse(ex.getRequestHeaders().getFirst("Content-Type"), body);
            session.segments().put(Integer.parseInt(text(parts.get("segment_index"))), parts.get("media"));
            send(ex, 200, "{}", 0);
            return;
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        int expected = 0;
        for (Map.Entry<Integer, byte[]> e : session.segments().entrySet()) {
            if (e.getKey() != expected++) {
                send(ex, 400, problem("Invalid Request", "segment " + (expected - 1) + " is missing", 400), 0);
                return;
            }
            all.writeBytes(e.getValue());
        }
        if (all.size() != session.totalBytes()) {
            send(ex, 400, problem("Invalid Request", "got " + all.size() + " of " + session.totalBytes() + " bytes", 400), 0);
            return;
        }
        sessions.remove(id);
        media.put(id, all.toByteArray());
        chunkedUploads++;
        send(ex, 200, "{\"data\":{\"id\":\"" + id + "\",\"media_key\":\"3_" + id + "\",\"size\":" + all.size() + "}}", 0);
    }

    /** Uploads completed through initialize/append/finalize. */
    public int chunkedUploads() {
        return chunkedUploads;
    }

    private void createPost(HttpExchange ex, JsonNode body) throws IOException {
        String text = body.path("text").asText();
        String to = body.path("reply").path("in_reply_to_tweet_id").asText(null);
        if (to == null || mentions.stream().noneMatch(p -> p.id().equals(to))) {
            send(ex, 403, problem("Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you.", 403), 0);
            return;
        }
        if (replies.stream().anyMatch(r -> r.text().equals(text))) {
            send(ex, 403, problem("Forbidden", "You are not allowed to create a Tweet with duplicate content.", 403), 0);
            return;
        }
        List<String> mediaIds = new ArrayList<>();
        for (JsonNode m : body.path("media").path("media_ids")) {
            if (!media.containsKey(m.asText())) {
                send(ex, 400, problem("Invalid Request", "unknown media id " + m.asText(), 400), 0);
                return;
            }
            mediaIds.add(m.asText());
        }
        String id = Long.toString(ids.incrementAndGet());
        replies.add(new Post(id, BOT_ID, BOT_HANDLE, text, Instant.now(), to, to, mediaIds));
        repliedAt.putIfAbsent(to, Instant.now());
        send(ex, 201, "{\"data\":{\"id\":\"" + id + "\",\"text\":" + json.writeValueAsString(text) + "}}", 0);
    }

    private static String problem(String title, String detail, int status) {
        return "{\"title\":\"" + title + "\",\"detail\":\"" + detail.replace("\"", "'") + "\",\"type\":\"about:blank\","
                + "\"status\":" + status + "}";
    }

    private static void send(HttpExchange ex, int status, String body, long reset) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().add("x-rate-limit-limit", "300");
        ex.getResponseHeaders().add("x-rate-limit-remaining", status == 429 ? "0" : "299");
        ex.getResponseHeaders().add("x-rate-limit-reset",
                Long.toString(reset > 0 ? reset : Instant.now().plusSeconds(900).getEpochSecond()));
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        OAuth1.queryParameters(uri).forEach(e -> q.put(e.getKey(), e.getValue()));
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Problem JSON for {@link #fault}. */
    public static String problemBody(String title, String detail, int status) {
        return problem(title, detail, status);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
