package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");
    private static final String PART = ".part";
    /** Remembers which url a part came from: bytes of different urls must not be spliced together. */
    private static final String PART_SOURCE = ".part.src";

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
        throw summarize(file, dir, failures);
    }

    /** The urls to try: the mirror's copy alone when a mirror is set, else the catalog's urls in order. */
    private List<URI> candidates(ModelFile file) {
        return settings.mirror()
                .map(base -> List.of(base.resolve(encodePathSegment(file.file()))))
                .orElse(file.urls());
    }

    /** One attempt from one url; returns the SHA-256 of the complete part file. */
    private String fetch(ModelFile file, URI url, Path dir) throws AttemptFailed {
        Path part = dir.resolve(file.file() + PART);
        long have = resumableBytes(part, dir.resolve(file.file() + PART_SOURCE), url);
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
        PartHandler handler = new PartHandler(file.file(), part, url, have, digest);
        HttpResponse<Long> response = await(client.sendAsync(request.build(), handler), handler, url);
        int status = response.statusCode();
        if (handler.rangeMismatch) {
            deleteQuietly(part);
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
            deleteQuietly(part);
            throw new AttemptFailed(Reason.INTERRUPTED, url, "server rejected resuming at byte " + have
                    + "; starting over", true);
        }
        throw new AttemptFailed(Reason.HTTP_STATUS, url, "HTTP " + status, false);
    }

    /** Bytes of {@code part} that may be resumed from {@code url}; deletes a part of another origin. */
    private static long resumableBytes(Path part, Path source, URI url) {
        try {
            if (!Files.isRegularFile(part)) {
                return 0;
            }
            boolean sameOrigin = Files.isRegularFile(source)
                    && Files.readString(source, StandardCharsets.UTF_8).trim().equals(url.toString());
            if (!sameOrigin) {
                Files.delete(part);
                return 0;
            }
            return Files.size(part);
        } catch (IOException e) {
            throw new DownloadException(Reason.LOCAL_IO, "cannot inspect " + part.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
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
                throw classify(e.getCause(), url);
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

    private static AttemptFailed classify(Throwable cause, URI url) {
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

    /** Checks the hash, then moves the part into place and records the hash next to it. */
    private Path install(ModelFile file, URI url, Path dir, Path target, String sha256) throws AttemptFailed {
        Path part = dir.resolve(file.file() + PART);
        if (file.pinnedSha256().isPresent() && !file.sha256().equals(sha256)) {
            deleteQuietly(part);
            deleteQuietly(dir.resolve(file.file() + PART_SOURCE));
            throw new AttemptFailed(Reason.CHECKSUM_MISMATCH, url, "sha256 mismatch: expected " + file.sha256()
                    + ", got " + sha256 + "; the partial file was deleted", false);
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            ChecksumRecord.write(target, sha256);
            Files.deleteIfExists(dir.resolve(file.file() + PART_SOURCE));
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

    private static DownloadException summarize(ModelFile file, Path dir, List<AttemptFailed> failures) {
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

    private static String encodePathSegment(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale part is harmless: the next attempt checks its origin and its hash
        }
    }

    /** One failed try: why, from where, and whether resuming from the same url makes sense. */
    private static final class AttemptFailed extends Exception {
        final Reason reason;
        final URI url;
        final boolean resumable;

        AttemptFailed(Reason reason, URI url, String message, boolean resumable) {
            super(message, null, false, false);
            this.reason = reason;
            this.url = url;
            this.resumable = resumable;
        }
    }

    /** A failure of our own disk, carried through the HTTP client's futures. */
    private static final class LocalFileException extends RuntimeException {
        LocalFileException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Decides, from the status line and headers, where the body goes. */
    private final class PartHandler implements HttpResponse.BodyHandler<Long> {
        private final String label;
        private final Path part;
        private final URI url;
        private final long have;
        private final MessageDigest resumedDigest;
        volatile PartWriter writer;
        volatile long expectedTotal = -1;
        volatile boolean rangeMismatch;

        PartHandler(String label, Path part, URI url, long have, MessageDigest resumedDigest) {
            this.label = label;
            this.part = part;
            this.url = url;
            this.have = have;
            this.resumedDigest = resumedDigest;
        }

        @Override
        public BodySubscriber<Long> apply(HttpResponse.ResponseInfo info) {
            int status = info.statusCode();
            if (status == 200) {
                if (have > 0) {
                    progress.println(label + ": the server ignored the resume request; starting over");
                }
                expectedTotal = info.headers().firstValueAsLong("Content-Length").orElse(-1);
                resumedDigest.reset();
                return open(false, 0);
            }
            String range = info.headers().firstValue("Content-Range").orElse("");
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(range);
                if (m.matches() && Long.parseLong(m.group(1)) == have) {
                    expectedTotal = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
                    return open(true, have);
                }
                rangeMismatch = true;
            }
            if (status == 416) {
                Matcher m = UNSATISFIED_RANGE.matcher(range);
                expectedTotal = m.matches() ? Long.parseLong(m.group(1)) : -1;
            }
            return BodySubscribers.replacing(0L);
        }

        private PartWriter open(boolean append, long startSize) {
            DownloadProgress bar = new DownloadProgress(progress, clock, settings.progressInterval(), label, startSize,
                    expectedTotal < 0 ? -1 : expectedTotal);
            try {
                // written as the part is opened, so a part never exists without its origin
                Files.writeString(part.resolveSibling(label + PART_SOURCE), url.toString(),
                        StandardCharsets.UTF_8);
                PartWriter w = new PartWriter(part, append, startSize, resumedDigest, bar);
                writer = w;
                return w;
            } catch (IOException e) {
                throw new LocalFileException("cannot write " + part.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Streams the body into the part file and the digest, one buffer list at a time. */
    private final class PartWriter implements BodySubscriber<Long> {
        private final FileChannel channel;
        private final MessageDigest digest;
        private final DownloadProgress bar;
        private final Path part;
        private final CompletableFuture<Long> body = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long size;
        private boolean closed;
        private volatile Instant lastData;

        PartWriter(Path part, boolean append, long startSize, MessageDigest digest, DownloadProgress bar)
                throws IOException {
            this.part = part;
            this.channel = append
                    ? FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
            this.size = startSize;
            this.digest = digest;
            this.bar = bar;
            this.lastData = clock.instant();
        }

        Duration idle() {
            return Duration.between(lastData, clock.instant());
        }

        @Override
        public CompletionStage<Long> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                if (closed) {
                    s.cancel();
                    return;
                }
                subscription = s;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long now;
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    for (ByteBuffer b : buffers) {
                        digest.update(b.duplicate());
                        while (b.hasRemaining()) {
                            size += channel.write(b);
                        }
                    }
                } catch (IOException e) {
                    closeQuietly();
                    subscription.cancel();
                    body.completeExceptionally(new LocalFileException("cannot write " + part.toAbsolutePath()
                            + ": " + e.getMessage(), e));
                    return;
                }
                lastData = clock.instant();
                now = size;
            }
            bar.update(now);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            synchronized (this) {
                closeQuietly();
            }
            bar.interrupted();
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            long finalSize;
            synchronized (this) {
                if (closed) {
                    return;
                }
                try {
                    channel.force(false);
                    channel.close();
                    closed = true;
                } catch (IOException e) {
                    closeQuietly();
                    body.completeExceptionally(new LocalFileException("cannot finish " + part.toAbsolutePath()
                            + ": " + e.getMessage(), e));
                    return;
                }
                finalSize = size;
            }
            bar.finish();
            body.complete(finalSize);
        }

        /** Stops the transfer; what was written stays in the part file for the next attempt. */
        void abort() {
            Flow.Subscription s;
            synchronized (this) {
                closeQuietly();
                s = subscription;
            }
            if (s != null) {
                s.cancel();
            }
        }

        private void closeQuietly() {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // the transfer already failed or was aborted; the next attempt re-hashes whatever the part holds
            }
        }
    }
}
