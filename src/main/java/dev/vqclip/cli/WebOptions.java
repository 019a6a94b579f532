package dev.vqclip.cli;

import dev.vqclip.app.WebConfig;
import picocli.CommandLine.Option;

/** Where the web face listens: shared by serve (on by default) and web. */
final class WebOptions {
    @Option(names = "--web-port", defaultValue = "8080", paramLabel = "PORT",
            description = "serve the web pages, /healthz, /readyz and /metrics on this port (0 = no web server); default ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--web-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "the address the web server listens on (0.0.0.0 for every interface); default ${DEFAULT-VALUE}")
    String bind;

    WebConfig config() {
        return new WebConfig(bind, port);
    }
}
