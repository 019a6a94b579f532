package dev.vqclip.discord;

/**
 * Where the REST API and the gateway are. Null fields mean Discord's own; tests point both at a loopback fake
 * (JDA's RestConfig base URL and a SessionController gateway, see reference/chat.md §2.1).
 *
 * @param restBaseUrl e.g. {@code http://127.0.0.1:PORT/api/v10/}
 * @param gatewayUrl  e.g. {@code ws://127.0.0.1:PORT/}
 */
public record DiscordEndpoints(String restBaseUrl, String gatewayUrl) {
    public static final DiscordEndpoints DISCORD = new DiscordEndpoints(null, null);

    public DiscordEndpoints {
        if (restBaseUrl != null && !restBaseUrl.matches("https?://.+/")) {
            throw new IllegalArgumentException("REST base URL must be http(s) and end with '/', got " + restBaseUrl);
        }
        if (gatewayUrl != null && !gatewayUrl.matches("wss?://.+")) {
            throw new IllegalArgumentException("gateway URL must be ws(s)://..., got " + gatewayUrl);
        }
    }
}
