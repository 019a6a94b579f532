package dev.vqclip.cli;

import dev.vqclip.twitter.XConfig;
import dev.vqclip.twitter.XCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The X adapter's flags for {@code serve}; X stays off unless credentials are given. */
final class XOptions {
    @Option(names = "--x-credentials-file", paramLabel = "FILE",
            description = "read X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET (NAME=value lines) from this "
                    + "file when they are not in the environment")
    Path credentialsFile;

    @Option(names = "--x-api-base", defaultValue = "https://api.x.com", paramLabel = "URL",
            description = "the X API v2 base URL; default ${DEFAULT-VALUE}")
    String apiBase;

    @Option(names = "--x-upload-base", paramLabel = "URL", description = "where media uploads go (default: the API base)")
    String uploadBase;

    @Option(names = "--x-poll", defaultValue = "60s", paramLabel = "DURATION",
            description = "how often mentions are read (X bills each post read); default ${DEFAULT-VALUE}")
    String poll;

    @Option(names = "--x-backlog", defaultValue = "1h", paramLabel = "DURATION",
            description = "on the very first start, answer mentions younger than this and skip older ones; default "
                    + "${DEFAULT-VALUE}")
    String backlog;

    @Option(names = "--x-monthly-reads", defaultValue = "10000", paramLabel = "N",
            description = "post reads allowed per calendar month (UTC); polling pauses when spent; default ${DEFAULT-VALUE}")
    long monthlyReads;

    @Option(names = "--x-monthly-posts", defaultValue = "1500", paramLabel = "N",
            description = "posts allowed per calendar month (UTC); replies wait when spent; default ${DEFAULT-VALUE}")
    long monthlyPosts;

    /** Empty when no X credentials are configured. */
    Optional<XConfig> config(Map<String, String> env) {
        Optional<XCredentials> credentials = XCredentials.load(env, credentialsFile);
        if (credentials.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new XConfig(credentials.get(), uri("--x-api-base", apiBase),
                uploadBase == null ? null : uri("--x-upload-base", uploadBase), SchedulerOptions.duration("--x-poll", poll),
                SchedulerOptions.duration("--x-backlog", backlog), monthlyReads, monthlyPosts));
    }

    private static URI uri(String flag, String value) {
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + " must be a URL like https://api.x.com, got '" + value + "'", e);
        }
    }
}
