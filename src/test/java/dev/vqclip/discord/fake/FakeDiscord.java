package dev.vqclip.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback Discord for end-to-end tests of the bot with the real JDA client: a REST server (JDK HttpServer) for
 * every route the bot uses and a gateway (minimal WebSocket) that logs JDA in and dispatches the events a test
 * asks for. It keeps channel messages (so edits of deleted ones fail with 10008 as on Discord), serves uploaded
 * attachments, records every request, and can answer the next matching request with a {@link Fault}.
 * Route and frame list: shared/reference/chat.md §2.3.
 */
public final class FakeDiscord implements AutoCloseable {
    public static final long BOT_ID = 1100000000000000001L;
    /** The only bot token the fake accepts, on the gateway and on every REST request. */
    public static final String TOKEN = "fake-token";
    public static final long GUILD_ID = 1000000000000000001L;
    public static final long CHANNEL_ID = 1000000000000000002L;
    public static final long MODERATOR_ROLE_ID = 1000000000000000003L;
    public static final FakeUser ALICE = new FakeUser(1200000000000000001L, "alice", false);
    public static final FakeUser BOB = new FakeUser(1200000000000000002L, "bob", false);
    public static final FakeUser MODERATOR = new FakeUser(1200000000000000003L, "mo", true);
    /** A member of server A whose Discord speaks French. */
    public static final FakeUser ELODIE = new FakeUser(1200000000000000005L, "elodie", false, "fr");
    /** The administrator of the second server. */
    public static final FakeUser CAROL = new FakeUser(1200000000000000004L, "carol", true);
    public static final long GUILD_B_ID = 1000000000000000011L;
    public static final long CHANNEL_B_ID = 1000000000000000012L;
    /** Server A: Alice, Bob and its moderator Mo. */
    public static final FakeGuild GUILD_A = new FakeGuild(GUILD_ID, CHANNEL_ID, MODERATOR_ROLE_ID,
            List.of(ALICE, BOB, MODERATOR, ELODIE));
    /** Server B: Alice and its administrator Carol; Mo is not a member. */
    public static final FakeGuild GUILD_B = new FakeGuild(GUILD_B_ID, CHANNEL_B_ID, 1000000000000000013L,
            List.of(ALICE, CAROL));
    private static final List<FakeGuild> GUILDS = List.of(GUILD_A, GUILD_B);

    /** View, send, embed, attach, read history, use application commands (Discord permission bits). */
    static final long MEMBER_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 31);
    /** Manage Server and Manage Messages. */
    static final long MODERATOR_PERMISSIONS = (1L << 5) | (1L << 13);
    private static final long DISCORD_EPOCH_MILLIS = 1420070400000L;
    /** The largest attachment a bot may upload where the server has no boost (10 MiB). */
    public static final int ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
    private static final String API = "/api/v10/";

    private final HttpServer http;
    private final WebSocketServer gateway;
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<Map.Entry<Predicate<RecordedRequest>, Fault>> faults = new ArrayList<>();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, byte[]> attachmentBytes = new ConcurrentHashMap<>();
    private final AtomicLong snowflakeSequence = new AtomicLong();
    private final java.util.Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<Integer> gatewayOps = new ArrayList<>();
    /** One DM channel per user, as on Discord: opening it again answers the same channel. */
    private final Map<Long, Long> directChannels = new ConcurrentHashMap<>();
    private final AtomicLong gatewaySequence = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private volatile WebSocketServer.Connection session;
    private boolean identified;

    public FakeDiscord() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-discord-rest");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        gateway = new WebSocketServer(new GatewayHandler());
    }

    public String restBaseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + API;
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.port() + "/";
    }

    // ---- gateway ---------------------------------------------------------------------------------------------

    private final class GatewayHandler implements WebSocketServer.Handler {
        @Override
        public void onOpen(WebSocketServer.Connection connection, String requestPath) {
            session = connection;
            connection.sendText(Fixtures.json(Fixtures.load("hello.json", Map.of())));
        }

        @Override
        public void onText(WebSocketServer.Connection connection, String text) {
            JsonNode frame = readJson(text);
            synchronized (requests) {
                gatewayOps.add(frame.get("op").asInt());
                requests.notifyAll();
            }
            switch (frame.get("op").asInt()) {
                case 1 -> connection.sendText("{\"op\":11,\"s\":null,\"t\":null,\"d\":null}");
                case 2 -> {
                    if (!TOKEN.equals(frame.path("d").path("token").asText())) {
                        connection.close(4004, "Authentication failed.");
                        return;
                    }
                    ArrayNode unavailable = Fixtures.JSON.createArrayNode();
                    GUILDS.forEach(g -> unavailable.addObject().put("id", id(g.id())).put("unavailable", true));
                    dispatch("READY", Fixtures.load("ready.json", Map.of("SELF_USER", Fixtures.json(selfUser()),
                            "GUILDS", Fixtures.json(unavailable), "BOT_ID", id(BOT_ID), "GATEWAY_URL", gatewayUrl())));
                    GUILDS.forEach(g -> dispatch("GUILD_CREATE", guild(g)));
                    synchronized (requests) {
                        identified = true;
                        requests.notifyAll();
                    }
                }
                case 6 -> {
                    if (!TOKEN.equals(frame.path("d").path("token").asText())) {
                        connection.close(4004, "Authentication failed.");
                        return;
                    }
                    dispatch("RESUMED", Fixtures.JSON.createObjectNode());
                }
                default -> { } // presence updates and the like need no answer
            }
        }
    }

    private void dispatch(String type, JsonNode data) {
        WebSocketServer.Connection connection = session;
        if (connection == null || !connection.isOpen()) {
            throw new IllegalStateException("no gateway session to dispatch " + type + " to");
        }
        ObjectNode frame = Fixtures.JSON.createObjectNode().put("op", 0).put("t", type)
                .put("s", gatewaySequence.incrementAndGet());
        frame.set("d", data);
        connection.sendText(frame.toString());
    }

    /** Gateway op 7: Discord asks the client to reconnect and resume its session. */
    public void sendReconnect() {
        session.sendText("{\"op\":7,\"d\":null,\"s\":null,\"t\":null}");
    }

    /** Gateway op 9: the session is invalid; {@code resumable} false makes the client identify anew. */
    public void sendInvalidSession(boolean resumable) {
        session.sendText("{\"op\":9,\"d\":" + resumable + ",\"s\":null,\"t\":null}");
    }

    /** Waits for the {@code n}-th gateway frame with opcode {@code op} from the client (2 identify, 6 resume). */
    public void awaitGatewayOp(int op, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (gatewayOps.stream().filter(o -> o == op).count() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " x gateway op " + op + " within " + timeout
                            + "; saw " + gatewayOps);
                }
                requests.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until JDA identified and got READY and GUILD_CREATE. */
    public void awaitIdentified(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (!identified) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("JDA did not identify on the fake gateway within " + timeout);
                }
                requests.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Sends INTERACTION_CREATE for a slash command by {@code user} in server A; returns the interaction's id. */
    public String sendSlashCommand(FakeUser user, SlashCommand command) {
        return sendSlashCommand(user, command, GUILD_A);
    }

    /** A slash command typed by {@code user} in {@code guild}'s channel. */
    public String sendSlashCommand(FakeUser user, SlashCommand command, FakeGuild guild) {
        if (!guild.hasMember(user.id())) {
            throw new IllegalArgumentException(user.name() + " is not a member of guild " + guild.id());
        }
        ObjectNode data = Fixtures.JSON.createObjectNode().put("id", id(nextSnowflake())).put("name", command.name)
                .put("type", 1).put("guild_id", id(guild.id()));
        ArrayNode options = command.options.deepCopy();
        ObjectNode resolvedData = data.putObject("resolved");
        ObjectNode resolved = resolvedData.putObject("attachments");
        for (JsonNode option : options.findParents("type")) {
            if (option.get("type").asInt() == 6) { // a user option comes with the user, as Discord resolves it
                long userId = option.get("value").asLong();
                String name = GUILDS.stream().flatMap(g -> g.members().stream()).filter(u -> u.id() == userId)
                        .map(FakeUser::name).findFirst().orElse("user-" + userId);
                resolvedData.with("users").set(id(userId), user(userId, name, false));
            }
            if (option.get("type").asInt() == 11) {
                String filename = option.get("value").asText();
                ObjectNode attachment = storeAttachment(filename, command.attachments.get(filename));
                resolved.set(attachment.get("id").asText(), attachment);
                ((ObjectNode) option).put("value", attachment.get("id").asText());
            }
        }
        data.set("options", options);
        return sendInteraction(user, 2, data, null, guild);
    }

    /** Sends INTERACTION_CREATE for a click on button {@code customId} of message {@code messageId}. */
    public String sendButtonClick(FakeUser user, String messageId, String customId) {
        ObjectNode message = messages.get(messageId);
        if (message == null) {
            throw new IllegalArgumentException("no message " + messageId + " to click a button on");
        }
        ObjectNode data = Fixtures.JSON.createObjectNode().put("custom_id", customId).put("component_type", 2);
        long channelId = message.get("channel_id").asLong();
        FakeGuild guild = GUILDS.stream().filter(g -> g.channelId() == channelId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("message " + messageId + " is in no guild channel"));
        if (!guild.hasMember(user.id())) {
            throw new IllegalArgumentException(user.name() + " is not a member of guild " + guild.id());
        }
        return sendInteraction(user, 3, data, message.deepCopy(), guild);
    }

    /**
     * Sends INTERACTION_CREATE for a click on a button of {@code messageId} from outside the server: a direct-message
     * context, where Discord sends a {@code user} and no {@code member} or {@code guild_id}.
     */
    public String sendButtonClickOutsideTheServer(FakeUser user, String messageId, String customId) {
        ObjectNode message = messages.get(messageId);
        if (message == null) {
            throw new IllegalArgumentException("no message " + messageId + " to click a button on");
        }
        String interactionId = id(nextSnowflake());
        String dmChannel = id(nextSnowflake());
        ObjectNode interaction = Fixtures.JSON.createObjectNode().put("id", interactionId)
                .put("application_id", id(BOT_ID)).put("type", 3).put("token", "itoken-" + tokens.incrementAndGet())
                .put("version", 1).put("channel_id", dmChannel).put("locale", "en-US")
                .put("app_permissions", Long.toString(MEMBER_PERMISSIONS)).put("context", 1)
                .put("attachment_size_limit", 10485760);
        ObjectNode channel = interaction.putObject("channel").put("id", dmChannel).put("type", 1);
        channel.putArray("recipients").add(user(user.id(), user.name(), false));
        interaction.set("user", user(user.id(), user.name(), false));
        interaction.putObject("authorizing_integration_owners").put("1", id(BOT_ID));
        interaction.putArray("entitlements");
        interaction.set("data", Fixtures.JSON.createObjectNode().put("custom_id", customId).put("component_type", 2));
        ObjectNode copy = message.deepCopy();
        copy.put("channel_id", dmChannel);
        interaction.set("message", copy);
        dispatch("INTERACTION_CREATE", interaction);
        return interactionId;
    }

    private String sendInteraction(FakeUser user, int type, ObjectNode data, ObjectNode message, FakeGuild guild) {
        String interactionId = id(nextSnowflake());
        ObjectNode interaction = Fixtures.load("interaction.json", Map.of("INTERACTION_ID", interactionId,
                "BOT_ID", id(BOT_ID), "TYPE", Integer.toString(type), "TOKEN", "itoken-" + tokens.incrementAndGet(),
                "GUILD_ID", id(guild.id()), "CHANNEL_ID", id(guild.channelId()), "CHANNEL", Fixtures.json(channel(guild)),
                "MEMBER", Fixtures.json(member(user, guild)), "APP_PERMISSIONS", Long.toString(MEMBER_PERMISSIONS),
                "LOCALE", user.locale()));
        interaction.set("data", data);
        if (message != null) {
            interaction.set("message", message);
        }
        dispatch("INTERACTION_CREATE", interaction);
        return interactionId;
    }

    /** The id of the DM channel between the bot and {@code user}. */
    public long directChannelId(FakeUser user) {
        return directChannels.computeIfAbsent(user.id(), u -> nextSnowflake());
    }

    private ObjectNode directChannel(long userId, String name) {
        ObjectNode dm = Fixtures.JSON.createObjectNode()
                .put("id", id(directChannels.computeIfAbsent(userId, u -> nextSnowflake()))).put("type", 1)
                .put("last_message_id", (String) null).put("flags", 0);
        dm.putArray("recipients").add(user(userId, name, false));
        return dm;
    }

    /** Sends INTERACTION_CREATE for a slash command {@code user} types in their DMs with the bot. */
    public String sendDirectSlashCommand(FakeUser user, SlashCommand command) {
        ObjectNode data = Fixtures.JSON.createObjectNode().put("id", id(nextSnowflake())).put("name", command.name)
                .put("type", 1);
        data.set("options", command.options.deepCopy());
        String interactionId = id(nextSnowflake());
        ObjectNode interaction = Fixtures.JSON.createObjectNode().put("id", interactionId)
                .put("application_id", id(BOT_ID)).put("type", 2).put("token", "itoken-" + tokens.incrementAndGet())
                .put("version", 1).put("channel_id", id(directChannelId(user))).put("locale", user.locale())
                .put("app_permissions", Long.toString(MEMBER_PERMISSIONS)).put("context", 1)
                .put("attachment_size_limit", ATTACHMENT_SIZE_LIMIT);
        interaction.set("channel", directChannel(user.id(), user.name()));
        interaction.set("user", user(user.id(), user.name(), false));
        interaction.putObject("authorizing_integration_owners").put("0", "0");
        interaction.putArray("entitlements");
        interaction.set("data", data);
        dispatch("INTERACTION_CREATE", interaction);
        return interactionId;
    }

    /** Sends MESSAGE_CREATE: {@code user} writes {@code content} in the channel, mentioning the bot. */
    public String sendMention(FakeUser user, String content) {
        ObjectNode message = guildMessage(user, content);
        message.putArray("mentions").add(user(BOT_ID, "vqclip", true));
        return send(message);
    }

    /** {@link #sendMention} with an image attached, as a user drops a file into the message. */
    public String sendMentionWithAttachment(FakeUser user, String content, String filename, byte[] bytes) {
        ObjectNode message = guildMessage(user, content);
        message.putArray("mentions").add(user(BOT_ID, "vqclip", true));
        message.withArray("attachments").add(storeAttachment(filename, bytes));
        return send(message);
    }

    /** {@code user} mentions the bot's own role in server A ({@code <@&role>} in {@code content}). */
    public String sendRoleMention(FakeUser user, String content) {
        ObjectNode message = guildMessage(user, content);
        message.putArray("mention_roles").add(id(botRoleId(GUILD_A)));
        return send(message);
    }

    /**
     * {@code user} answers message {@code repliedTo} with Discord's reply, which pings its author (the bot): the bot
     * is in {@code mentions}, not in the text.
     */
    public String sendReply(FakeUser user, String repliedTo, String content) {
        ObjectNode message = guildMessage(user, content);
        message.putArray("mentions").add(user(BOT_ID, "vqclip", true));
        message.put("type", 19);
        message.putObject("message_reference").put("type", 0).put("message_id", repliedTo)
                .put("channel_id", id(CHANNEL_ID)).put("guild_id", id(GUILD_ID));
        message.set("referenced_message", messages.get(repliedTo).deepCopy());
        return send(message);
    }

    /** The bot's managed role in {@code guild}, which Discord creates when the bot joins. */
    public static long botRoleId(FakeGuild guild) {
        return guild.moderatorRoleId() + 100;
    }

    private ObjectNode guildMessage(FakeUser user, String content) {
        ObjectNode message = newMessage(user(user.id(), user.name(), false));
        message.put("content", content).put("guild_id", id(GUILD_ID));
        ObjectNode member = member(user, GUILD_A);
        member.remove("user");
        message.set("member", member);
        return message;
    }

    private String send(ObjectNode message) {
        messages.put(message.get("id").asText(), message);
        dispatch("MESSAGE_CREATE", message);
        return message.get("id").asText();
    }

    // ---- REST ------------------------------------------------------------------------------------------------

    private static final Pattern CHANNEL_MESSAGES = Pattern.compile("channels/(\\d+)/messages");
    private static final Pattern CHANNEL_MESSAGE = Pattern.compile("channels/(\\d+)/messages/(\\d+)");
    private static final Pattern COMMANDS = Pattern.compile("applications/\\d+(/guilds/\\d+)?/commands");
    private static final Pattern CALLBACK = Pattern.compile("interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern WEBHOOK_ORIGINAL = Pattern.compile("webhooks/\\d+/([^/]+)/messages/@original");
    private static final Pattern WEBHOOK_FOLLOWUP = Pattern.compile("webhooks/\\d+/([^/]+)");
    private static final Pattern ATTACHMENT = Pattern.compile("/attachments/(\\d+)/.+");
    private static final Pattern GUILD_MEMBER = Pattern.compile("guilds/(\\d+)/members/(\\d+)");

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long at = System.nanoTime();
            String rawPath = exchange.getRequestURI().getPath();
            Matcher attachment = ATTACHMENT.matcher(rawPath);
            if (attachment.matches()) {
                byte[] bytes = attachmentBytes.get(attachment.group(1));
                if (bytes != null && exchange.getRequestURI().getQuery() != null
                        && exchange.getRequestURI().getQuery().contains("proxy")) {
                    bytes = proxyCopy(bytes); // the media proxy serves a re-encoded copy, never the original
                }
                respond(exchange, bytes == null ? 404 : 200, "image/png", bytes == null ? new byte[0] : bytes);
                return;
            }
            String method = exchange.getRequestMethod();
            String path = rawPath.startsWith(API) ? rawPath.substring(API.length()) : rawPath;
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode payload = null;
            List<Multipart.Part> files = List.of();
            if (contentType != null && contentType.startsWith("multipart/form-data")) {
                List<Multipart.Part> parts = Multipart.parse(body, Multipart.boundary(contentType));
                files = parts.stream().filter(p -> p.filename() != null).toList();
                payload = parts.stream().filter(p -> "payload_json".equals(p.name())).findFirst()
                        .map(p -> readJson(p.text())).orElse(null);
            } else if (body.length > 0) {
                payload = readJson(new String(body, StandardCharsets.UTF_8));
            }
            RecordedRequest probe = new RecordedRequest(method, path, exchange.getRequestURI().getQuery(), payload,
                    files, 0, null, at);
            Answer refusal = refusal(exchange, probe, body.length);
            Fault fault = refusal != null ? null : takeFault(probe);
            Answer answer = refusal != null ? refusal : fault != null ? faultAnswer(exchange, fault) : route(probe);
            if (fault == null || fault.status() != 429) {
                rateLimitHeaders(exchange, path);
            }
            record(new RecordedRequest(method, path, probe.query(), payload, files, answer.status,
                    answer.json == null ? null : answer.json.deepCopy(), at));
            respond(exchange, answer.status, "application/json",
                    answer.json == null ? new byte[0] : answer.json.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private record Answer(int status, JsonNode json) {
    }

    /**
     * What Discord refuses whatever the route: a request without the bot's token (interaction callbacks and
     * webhooks are authorised by their own token), a second acknowledgement of one interaction (40060), and an
     * upload over the attachment size limit (40005).
     */
    private Answer refusal(HttpExchange exchange, RecordedRequest r, int bodyBytes) {
        boolean tokenRoute = CALLBACK.matcher(r.path()).matches() || r.path().startsWith("webhooks/");
        if (!tokenRoute && !("Bot " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return new Answer(401, Fixtures.JSON.createObjectNode().put("message", "401: Unauthorized").put("code", 0));
        }
        Matcher callback = CALLBACK.matcher(r.path());
        if (r.method().equals("POST") && callback.matches() && !acknowledged.add(callback.group(1))) {
            return new Answer(400, Fixtures.JSON.createObjectNode()
                    .put("message", "Interaction has already been acknowledged.").put("code", 40060));
        }
        if (r.files().stream().anyMatch(f -> f.bytes().length > ATTACHMENT_SIZE_LIMIT)) {
            return new Answer(413, Fixtures.JSON.createObjectNode().put("message", "Request entity too large")
                    .put("code", 40005));
        }
        return null;
    }

    /** The headers of an ordinary answer: a per-route bucket with room left, as JDA's rate limiter expects. */
    private static void rateLimitHeaders(HttpExchange exchange, String path) {
        var h = exchange.getResponseHeaders();
        h.add("X-RateLimit-Limit", "5");
        h.add("X-RateLimit-Remaining", "4");
        h.add("X-RateLimit-Reset", String.format(java.util.Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + 1));
        h.add("X-RateLimit-Reset-After", "1.000");
        h.add("X-RateLimit-Bucket", Integer.toHexString(path.replaceAll("\\d+", "id").hashCode()));
    }

    /** A copy that differs from the original bytes, as the media proxy's resized/re-encoded images do. */
    static byte[] proxyCopy(byte[] original) {
        byte[] copy = original.clone();
        for (int i = copy.length / 2; i < copy.length; i++) {
            copy[i] ^= 0x5A;
        }
        return copy;
    }

    private Answer route(RecordedRequest r) {
        Matcher m;
        if (r.is("GET", "users/@me")) {
            return new Answer(200, selfUser());
        }
        if (r.method().equals("PUT") && COMMANDS.matcher(r.path()).matches()) {
            ArrayNode registered = Fixtures.JSON.createArrayNode();
            for (JsonNode command : r.payload()) {
                ObjectNode c = ((ObjectNode) command.deepCopy()).put("id", id(nextSnowflake()))
                        .put("application_id", id(BOT_ID)).put("version", id(nextSnowflake()));
                c.putIfAbsent("type", Fixtures.JSON.getNodeFactory().numberNode(1));
                registered.add(c);
            }
            return new Answer(200, registered);
        }
        if (r.method().equals("POST") && (m = CALLBACK.matcher(r.path())).matches()) {
            ObjectNode answer = Fixtures.JSON.createObjectNode();
            answer.putObject("interaction").put("id", m.group(1)).put("type", 2);
            return new Answer(200, answer);
        }
        if ((m = WEBHOOK_ORIGINAL.matcher(r.path())).matches() || (m = WEBHOOK_FOLLOWUP.matcher(r.path())).matches()) {
            if (r.method().equals("DELETE")) {
                return new Answer(204, null);
            }
            String key = "webhook-" + m.group(1);
            ObjectNode message = messages.computeIfAbsent(key, k -> newMessage(selfUser()));
            applyEdit(message, r);
            return new Answer(200, message);
        }
        if ((m = CHANNEL_MESSAGES.matcher(r.path())).matches() && r.method().equals("POST")) {
            ObjectNode message = newMessage(selfUser());
            applyEdit(message, r);
            messages.put(message.get("id").asText(), message);
            return new Answer(200, message);
        }
        if ((m = CHANNEL_MESSAGE.matcher(r.path())).matches()) {
            ObjectNode message = messages.get(m.group(2));
            if (message == null) {
                return new Answer(404, Fixtures.load("unknown_message.json", Map.of()));
            }
            switch (r.method()) {
                case "GET" -> {
                    return new Answer(200, message);
                }
                case "PATCH" -> {
                    applyEdit(message, r);
                    message.put("edited_timestamp", timestamp(Instant.now()));
                    return new Answer(200, message);
                }
                case "DELETE" -> {
                    messages.remove(m.group(2));
                    return new Answer(204, null);
                }
                default -> { }
            }
        }
        if (r.method().equals("GET") && (m = GUILD_MEMBER.matcher(r.path())).matches()) {
            long guildId = Long.parseLong(m.group(1));
            long userId = Long.parseLong(m.group(2));
            FakeGuild guild = GUILDS.stream().filter(g -> g.id() == guildId).findFirst().orElse(null);
            FakeUser user = guild == null ? null
                    : guild.members().stream().filter(u -> u.id() == userId).findFirst().orElse(null);
            if (user == null) {
                return new Answer(404, Fixtures.JSON.createObjectNode().put("message", "Unknown Member").put("code", 10007));
            }
            return new Answer(200, member(user, guild));
        }
        if (r.is("POST", "users/@me/channels")) {
            long recipient = r.payload().get("recipient_id").asLong();
            return new Answer(200, directChannel(recipient, "user-" + recipient));
        }
        ObjectNode noRoute = Fixtures.JSON.createObjectNode()
                .put("message", "the fake Discord has no route for " + r.method() + " " + r.path()).put("code", 0);
        return new Answer(404, noRoute);
    }

    /** Applies content, components and the attachment list of a create/edit payload to a stored message. */
    private void applyEdit(ObjectNode message, RecordedRequest r) {
        JsonNode p = r.payload();
        Matcher channel = Pattern.compile("channels/(\\d+)/.*").matcher(r.path());
        if (channel.matches()) {
            message.put("channel_id", channel.group(1));
        }
        if (p == null) {
            return;
        }
        for (String field : List.of("content", "components", "message_reference", "flags")) {
            if (p.has(field)) {
                message.set(field, p.get(field));
            }
        }
        if (p.has("attachments")) {
            ArrayNode kept = Fixtures.JSON.createArrayNode();
            for (JsonNode wanted : p.get("attachments")) {
                String id = wanted.get("id").asText();
                JsonNode existing = findAttachment(message, id);
                if (existing != null) {
                    kept.add(existing);
                } else {
                    Multipart.Part file = r.files().get(Integer.parseInt(id));
                    kept.add(storeAttachment(file.filename(), file.bytes()));
                }
            }
            message.set("attachments", kept);
        } else if (!r.files().isEmpty()) {
            ArrayNode added = message.withArray("attachments");
            r.files().forEach(f -> added.add(storeAttachment(f.filename(), f.bytes())));
        }
    }

    private static JsonNode findAttachment(ObjectNode message, String id) {
        for (JsonNode a : message.withArray("attachments")) {
            if (a.get("id").asText().equals(id)) {
                return a;
            }
        }
        return null;
    }

    private ObjectNode storeAttachment(String filename, byte[] bytes) {
        String attachmentId = id(nextSnowflake());
        attachmentBytes.put(attachmentId, bytes);
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/attachments/" + attachmentId + "/" + filename;
        return Fixtures.JSON.createObjectNode().put("id", attachmentId).put("filename", filename)
                .put("size", bytes.length).put("url", url).put("proxy_url", url + "?proxy=1")
                .put("content_type", "image/png");
    }

    private Answer faultAnswer(HttpExchange exchange, Fault fault) {
        if (fault.status() == 429) {
            var h = exchange.getResponseHeaders();
            h.add("Via", "1.1 google");
            h.add("Retry-After", Integer.toString(fault.retryAfterSeconds()));
            h.add("X-RateLimit-Limit", "5");
            h.add("X-RateLimit-Remaining", "0");
            h.add("X-RateLimit-Reset-After", Integer.toString(fault.retryAfterSeconds()));
            h.add("X-RateLimit-Bucket", "fake-bucket");
            h.add("X-RateLimit-Scope", "user");
        }
        return new Answer(fault.status(), Fixtures.load(fault.fixture(), fault.values()));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // ---- faults, records, assertions -------------------------------------------------------------------------

    /** Answers the next request that matches {@code which} with {@code fault} (once). */
    public void failNext(Predicate<RecordedRequest> which, Fault fault) {
        synchronized (faults) {
            faults.add(Map.entry(which, fault));
        }
    }

    private Fault takeFault(RecordedRequest probe) {
        synchronized (faults) {
            for (Iterator<Map.Entry<Predicate<RecordedRequest>, Fault>> it = faults.iterator(); it.hasNext(); ) {
                Map.Entry<Predicate<RecordedRequest>, Fault> f = it.next();
                if (f.getKey().test(probe)) {
                    it.remove();
                    return f.getValue();
                }
            }
        }
        return null;
    }

    private void record(RecordedRequest r) {
        synchronized (requests) {
            requests.add(r);
            requests.notifyAll();
        }
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<RecordedRequest> requests(Predicate<RecordedRequest> which) {
        return requests().stream().filter(which).toList();
    }

    /** Waits for the {@code n}-th (1-based) request matching {@code which}; fails the test after the timeout. */
    public RecordedRequest awaitRequest(String what, int n, Predicate<RecordedRequest> which, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (true) {
                List<RecordedRequest> matching = requests.stream().filter(which).toList();
                if (matching.size() >= n) {
                    return matching.get(n - 1);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " x " + what + " within " + timeout + "; saw "
                            + requests.stream().map(x -> x.method() + " " + x.path() + " -> " + x.status()).toList());
                }
                requests.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    public RecordedRequest awaitRequest(String what, Predicate<RecordedRequest> which, Duration timeout)
            throws InterruptedException {
        return awaitRequest(what, 1, which, timeout);
    }

    /** Waits for the bot's acknowledgement (the interaction callback) of {@code interactionId}. */
    public RecordedRequest awaitAck(String interactionId, Duration timeout) throws InterruptedException {
        return awaitRequest("ack of " + interactionId,
                r -> r.isInteractionCallback() && r.path().contains(interactionId), timeout);
    }

    /**
     * Waits for the answer to an acknowledged interaction: the bot edits the deferred response, addressed by the
     * interaction's token, which the acknowledgement's path carries.
     */
    public RecordedRequest awaitAnswer(String interactionId, Duration timeout) throws InterruptedException {
        String token = awaitAck(interactionId, timeout).path().split("/")[2];
        return awaitRequest("answer to " + interactionId,
                r -> r.is("PATCH", "webhooks/\\d+/" + token + "/messages/@original"), timeout);
    }

    /** The stored state of a message (after all edits), or null once it was deleted. */
    public JsonNode message(String messageId) {
        return messages.get(messageId);
    }

    /** A user deletes a message in the client: later edits of it fail with 10008. */
    public void deleteMessageAsUser(String messageId) {
        messages.remove(messageId);
    }

    public byte[] attachment(JsonNode attachment) {
        return attachmentBytes.get(attachment.get("id").asText());
    }

    /** A guild-channel message link, as the Discord client copies it. */
    public static String messageLink(String messageId) {
        return messageLink(GUILD_A, messageId);
    }

    public static String messageLink(FakeGuild guild, String messageId) {
        return "https://discord.com/channels/" + guild.id() + "/" + guild.channelId() + "/" + messageId;
    }

    /** Stores a message with one PNG attachment, posted by {@code user}, as if sent earlier; returns its id. */
    public String storeMessageWithAttachment(FakeUser user, String filename, byte[] png) {
        return storeMessageWithAttachment(user, filename, png, GUILD_A);
    }

    /** {@link #storeMessageWithAttachment(FakeUser, String, byte[])} in {@code guild}'s channel. */
    public String storeMessageWithAttachment(FakeUser user, String filename, byte[] png, FakeGuild guild) {
        ObjectNode message = newMessage(user(user.id(), user.name(), false));
        message.put("channel_id", id(guild.channelId()));
        message.withArray("attachments").add(storeAttachment(filename, png));
        messages.put(message.get("id").asText(), message);
        return message.get("id").asText();
    }

    // ---- payloads --------------------------------------------------------------------------------------------

    private ObjectNode newMessage(JsonNode author) {
        return Fixtures.load("message.json", Map.of("MESSAGE_ID", id(nextSnowflake()), "CHANNEL_ID", id(CHANNEL_ID),
                "AUTHOR", Fixtures.json(author), "TIMESTAMP", timestamp(Instant.now())));
    }

    private ObjectNode selfUser() {
        return Fixtures.load("self_user.json", Map.of("BOT_ID", id(BOT_ID)));
    }

    private static ObjectNode user(long userId, String name, boolean bot) {
        return Fixtures.load("user.json", Map.of("USER_ID", id(userId), "USER_NAME", name,
                "IS_BOT", Boolean.toString(bot)));
    }

    private ObjectNode member(FakeUser user, FakeGuild guild) {
        return member(user(user.id(), user.name(), false), user.moderator(), guild);
    }

    private ObjectNode member(JsonNode user, boolean moderator, FakeGuild guild) {
        long permissions = MEMBER_PERMISSIONS | (moderator ? MODERATOR_PERMISSIONS : 0);
        return Fixtures.load("member.json", Map.of("USER", Fixtures.json(user),
                "ROLE_IDS", moderator ? "[\"" + guild.moderatorRoleId() + "\"]" : "[]",
                "PERMISSIONS", Long.toString(permissions)));
    }

    private ObjectNode channel(FakeGuild guild) {
        return Fixtures.load("text_channel.json", Map.of("CHANNEL_ID", id(guild.channelId()), "GUILD_ID", id(guild.id())));
    }

    private ObjectNode guild(FakeGuild guild) {
        ArrayNode roles = Fixtures.JSON.createArrayNode();
        roles.add(role(guild.id(), "@everyone", MEMBER_PERMISSIONS, 0));
        roles.add(role(guild.moderatorRoleId(), "moderators", MEMBER_PERMISSIONS | MODERATOR_PERMISSIONS, 1));
        ObjectNode botRole = role(botRoleId(guild), "vqclip", MEMBER_PERMISSIONS, 2).put("managed", true);
        botRole.putObject("tags").put("bot_id", id(BOT_ID));
        roles.add(botRole);
        ArrayNode members = Fixtures.JSON.createArrayNode();
        ObjectNode self = member(selfUser(), false, guild);
        self.putArray("roles").add(id(botRoleId(guild)));
        members.add(self);
        guild.members().forEach(u -> members.add(member(u, guild)));
        long owner = guild.members().stream().filter(FakeUser::moderator).findFirst().orElseThrow().id();
        return Fixtures.load("guild_create.json", Map.of("GUILD_ID", id(guild.id()), "OWNER_ID", id(owner),
                "MEMBER_COUNT", Integer.toString(members.size()), "ROLES", Fixtures.json(roles),
                "CHANNEL", Fixtures.json(channel(guild)), "MEMBERS", Fixtures.json(members)));
    }

    private static ObjectNode role(long roleId, String name, long permissions, int position) {
        return Fixtures.load("role.json", Map.of("ROLE_ID", id(roleId), "ROLE_NAME", name,
                "PERMISSIONS", Long.toString(permissions), "POSITION", Integer.toString(position)));
    }

    /** A fresh snowflake: JDA derives an interaction's 15-minute expiry from its id, so ids must be "now". */
    private long nextSnowflake() {
        return ((System.currentTimeMillis() - DISCORD_EPOCH_MILLIS) << 22) | (snowflakeSequence.incrementAndGet() & 0xFFF);
    }

    private static String id(long snowflake) {
        return Long.toString(snowflake);
    }

    private static String timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static JsonNode readJson(String text) {
        try {
            return Fixtures.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + text, e);
        }
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
