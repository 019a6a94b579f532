package dev.vqclip.engine.weights.catalog;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How downloads behave.
 *
 * @param mirror           when present, every file is fetched from {@code mirror + file name} instead of the
 *                         catalog's urls (a local mirror, or the loopback server of a test)
 * @param connectTimeout   limit for opening a connection
 * @param responseTimeout  limit for the response headers once connected
 * @param stallTimeout     a transfer that receives no byte for this long is aborted (and later resumed)
 * @param attemptsPerUrl   how many times a broken transfer is resumed from the same url before moving on
 * @param progressInterval the least time between two progress lines
 */
public record DownloadSettings(
        Optional<URI> mirror,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration stallTimeout,
        int attemptsPerUrl,
        Duration progressInterval) {

    public DownloadSettings {
        Objects.requireNonNull(mirror, "mirror must be an Optional, not null");
        mirror.ifPresent(m -> {
            if (!"http".equals(m.getScheme()) && !"https".equals(m.getScheme())) {
                throw new IllegalArgumentException("mirror must be an http(s) url, got " + m);
            }
        });
        mirror = mirror.map(DownloadSettings::withTrailingSlash);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("responseTimeout", responseTimeout);
        requirePositive("stallTimeout", stallTimeout);
        Objects.requireNonNull(progressInterval, "progressInterval");
        if (progressInterval.isNegative()) {
            throw new IllegalArgumentException("progressInterval must not be negative, got " + progressInterval);
        }
        if (attemptsPerUrl < 1) {
            throw new IllegalArgumentException("attemptsPerUrl must be at least 1, got " + attemptsPerUrl);
        }
    }

    /** 10 s to connect, 30 s for headers, 60 s without data counts as a stall, 3 attempts, 0.5 s progress. */
    public static DownloadSettings defaults() {
        return new DownloadSettings(Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 3, Duration.ofMillis(500));
    }

    public DownloadSettings withMirror(URI base) {
        return new DownloadSettings(Optional.of(base), connectTimeout, responseTimeout, stallTimeout,
                attemptsPerUrl, progressInterval);
    }

    public DownloadSettings withAttemptsPerUrl(int attempts) {
        return new DownloadSettings(mirror, connectTimeout, responseTimeout, stallTimeout, attempts,
                progressInterval);
    }

    public DownloadSettings withStallTimeout(Duration stall) {
        return new DownloadSettings(mirror, connectTimeout, responseTimeout, stall, attemptsPerUrl,
                progressInterval);
    }

    private static URI withTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
