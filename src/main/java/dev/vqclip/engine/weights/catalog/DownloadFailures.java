package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what went wrong on the wire into the downloader's policy: an unreachable host moves on to the next
 * url, a broken connection is resumed, our own disk failing stops everything; and once every url has failed,
 * one message that says what was tried and how to install the file by hand.
 */
final class DownloadFailures {
    private DownloadFailures() {
    }

    /** Classifies a transfer's failure; throws at once when retrying cannot help. */
    static AttemptFailed classify(Throwable cause, URI url) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LocalFileException local) {
                throw new DownloadException(Reason.LOCAL_IO, local.getMessage(), local.getCause());
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException
                    || t instanceof HttpTimeoutException) {
                return new AttemptFailed(Reason.UNREACHABLE, url, describe(t), false);
            }
        }
        if (cause instanceof IOException) {
            return new AttemptFailed(Reason.INTERRUPTED, url, "connection broke: " + describe(cause), true);
        }
        throw new IllegalStateException("unexpected failure downloading " + url, cause);
    }

    private static String describe(Throwable t) {
        String kind = t instanceof ConnectException ? "connection refused"
                : t instanceof UnknownHostException || t instanceof UnresolvedAddressException ? "unknown host"
                : t instanceof HttpTimeoutException ? "no answer in time"
                : t.getClass().getSimpleName();
        return t.getMessage() == null || t.getMessage().isBlank() ? kind : kind + ": " + t.getMessage();
    }

    /** The error for a file no url could deliver: what each url answered, and where to put it by hand. */
    static DownloadException summarize(ModelFile file, Path dir, List<AttemptFailed> failures) {
        String byHand = "put " + file.file() + " (" + file.sha256Description() + ") into "
                + dir.toAbsolutePath() + "/ and rerun";
        StringBuilder tried = new StringBuilder();
        Set<String> distinct = new LinkedHashSet<>();
        for (AttemptFailed f : failures) {
            distinct.add("\n  " + f.url + ": " + f.getMessage());
        }
        distinct.forEach(tried::append);
        if (failures.stream().allMatch(f -> f.reason == Reason.UNREACHABLE)) {
            Set<String> hosts = new LinkedHashSet<>();
            failures.forEach(f -> hosts.add(f.url.getHost()));
            return new DownloadException(Reason.UNREACHABLE, "could not reach " + String.join(", ", hosts)
                    + ": " + byHand + tried);
        }
        AttemptFailed worst = failures.stream().filter(f -> f.reason == Reason.CHECKSUM_MISMATCH).findFirst()
                .orElse(failures.get(failures.size() - 1));
        return new DownloadException(worst.reason, "could not download " + file.file() + ":" + tried
                + "\nOr " + byHand);
    }
}
