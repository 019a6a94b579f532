package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches catalog files over HTTP(S) into a directory, safely:
 * <ul>
 *   <li>bytes go to {@code FILE.part} and are hashed with SHA-256 while they stream;</li>
 *   <li>an existing {@code FILE.part} from the same url is resumed with a {@code Range} request (a server
 *       that answers 200 instead of 206 is followed: the part is truncated and the download restarts);</li>
 *   <li>a broken or stalled transfer is resumed up to {@code attemptsPerUrl} times, then the next url is
 *       tried;</li>
 *   <li>the result must match the catalog's sha256 (else the part is deleted and the error names both
 *       hashes); without a published hash the computed one is recorded as {@code FILE.sha256};</li>
 *   <li>only a verified file is renamed (atomically) to its final name.</li>
 * </ul>
 * When no server can be reached the error says which file, with which hash, to put where by hand.
 */
public final class Downloader {
    private final HttpClient client;
    private final DownloadSettings settings;
    private final Clock clock;
    private final PrintWriter progress;

    public Downloader(DownloadSettings settings, Clock clock, PrintWriter progress) {
        this.settings = settings;
        this.clock = clock;
        this.progress = progress;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // heibox and GitHub answer with redirects to their storage hosts
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Downloads {@code file} into {@code dir} and returns the verified file's path. */
    public Path download(ModelFile file, Path dir) {
        Path target = dir.resolve(file.file());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot create the models directory " + dir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        List<AttemptFailed> failures = new ArrayList<>();
        for (URI url : candidates(file)) {
            for (int attempt = 1; attempt <= settings.attemptsPerUrl(); attempt++) {
                try {
                    String sha256 = fetch(file, url, dir);
                    return install(file, url, dir, target, sha256);
                } catch (AttemptFailed failure) {
                    failures.add(failure);
                    if (!failure.resumable) {
                        break;
                    }
                    if (attempt < settings.attemptsPerUrl()) {
                        progress.println(file.file() + ": " + failure.getMessage() + "; resuming");
                        progress.flush();
                    }
                }
            }
        }
        throw DownloadFailures.summarize(file, dir, failures);
    }

    /** The urls to try: the mirror's copy alone when a mirror is set, else the catalog's urls in order. */
    private List<URI> candidates(ModelFile file) {
        return settings.mirror()
                .map(base -> List.of(base.resolve(encodePathSegment(file.file()))))
                .orElse(file.urls());
    }

    /** One attempt from one url; returns the SHA-256 of the complete part file. */
    private String fetch(ModelFile file, URI url, Path dir) throws AttemptFailed {
        Path part = PartFiles.part(dir, file);
        long have = PartFiles.resumableBytes(part, PartFiles.source(dir, file), url);
        MessageDigest digest = Sha256.newDigest();
        if (have > 0) {
            try {
                Sha256.update(digest, part);
            } catch (IOException e) {
                throw new DownloadException(Reason.LOCAL_IO, "cannot read " + part.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            }
            progress.println(file.file() + ": resuming at " + String.format(Locale.ROOT, "%.1f MB", have / 1e6));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(settings.responseTimeout())
                .header("User-Agent", "vqclip model downloader");
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        PartHandler handler = new PartHandler(settings, clock, progress, file.file(), part, url, have, digest);
        HttpResponse<Long> response = await(client.sendAsync(request.build(), handler), handler, url);
        int status = response.statusCode();
        if (handler.rangeMismatch) {
            PartFiles.deleteQuietly(part);
            throw new AttemptFailed(Reason.INTERRUPTED, url, "server resumed at another byte than " + have
                    + "; starting over", true);
        }
        if (status == 200 || status == 206) {
            long total = handler.expectedTotal;
            if (total >= 0 && response.body() != total) {
                throw new AttemptFailed(Reason.INTERRUPTED, url, "transfer ended at " + response.body() + " of "
                        + total + " bytes", true);
            }
            return Sha256.hex(digest.digest());
        }
        if (status == 416 && have > 0) {
            // the server refuses our range: either the part is already complete, or it is not what we think
            if (handler.expectedTotal == have) {
                return Sha256.hex(digest.digest());
            }
            PartFiles.deleteQuietly(part);
            throw new AttemptFailed(Reason.INTERRUPTED, url, "server rejected resuming at byte " + have
                    + "; starting over", true);
        }
        throw new AttemptFailed(Reason.HTTP_STATUS, url, "HTTP " + status, false);
    }

    /** Waits for the transfer, aborting it when no byte arrived for {@code stallTimeout}. */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future, PartHandler handler, URI url)
            throws AttemptFailed {
        long pollMillis = Math.max(10, Math.min(1000, settings.stallTimeout().toMillis() / 4));
        while (true) {
            try {
                return future.get(pollMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                PartWriter writer = handler.writer;
                if (writer != null && writer.idle().compareTo(settings.stallTimeout()) > 0) {
                    writer.abort();
                    future.cancel(true);
                    throw new AttemptFailed(Reason.INTERRUPTED, url, "no data for "
                            + settings.stallTimeout().toSeconds() + " s", true);
                }
            } catch (ExecutionException e) {
                throw DownloadFailures.classify(e.getCause(), url);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                PartWriter writer = handler.writer;
                if (writer != null) {
                    writer.abort();
                }
                future.cancel(true);
                throw new DownloadException(Reason.INTERRUPTED, "download from " + url
                        + " was interrupted; rerun to resume", e);
            }
        }
    }

    /** Checks the hash, then moves the part into place and records the hash next to it. */
    private Path install(ModelFile file, URI url, Path dir, Path target, String sha256) throws AttemptFailed {
        Path part = PartFiles.part(dir, file);
        if (file.pinnedSha256().isPresent() && !file.sha256().equals(sha256)) {
            PartFiles.deleteQuietly(part);
            PartFiles.deleteQuietly(PartFiles.source(dir, file));
            throw new AttemptFailed(Reason.CHECKSUM_MISMATCH, url, "sha256 mismatch: expected " + file.sha256()
                    + ", got " + sha256 + "; the partial file was deleted", false);
        }
        try {
            PartFiles.moveIntoPlace(part, target);
            ChecksumRecord.write(target, sha256);
            Files.deleteIfExists(PartFiles.source(dir, file));
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot move " + part.toAbsolutePath() + " to "
                    + target.getFileName() + ": " + e.getMessage(), e);
        }
        if (file.pinnedSha256().isEmpty()) {
            progress.println(file.file() + ": no published sha256; recorded " + sha256 + " in "
                    + ChecksumRecord.pathFor(target).getFileName() + " (trust on first use)");
        }
        progress.flush();
        return target;
    }

    private static String encodePathSegment(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
