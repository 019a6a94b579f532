package dev.vqclip.app;

/**
 * Where the web face listens.
 *
 * @param port 0 turns the web server off
 */
public record WebConfig(String bind, int port) {
    public WebConfig {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("--web-bind must be an address such as 127.0.0.1, got '" + bind + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--web-port must be 0 (off) or 1..65535, got " + port);
        }
    }

    public boolean enabled() {
        return port != 0;
    }
}
