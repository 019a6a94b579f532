package dev.vqclip.engine.weights.catalog;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Streams the body into the part file and the digest, one buffer list at a time. */
final class PartWriter implements BodySubscriber<Long> {
    private final FileChannel channel;
    private final MessageDigest digest;
    private final DownloadProgress bar;
    private final Path part;
    private final Clock clock;
    private final CompletableFuture<Long> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long size;
    private boolean closed;
    private volatile Instant lastData;

    PartWriter(Path part, boolean append, long startSize, MessageDigest digest, DownloadProgress bar, Clock clock)
            throws IOException {
        this.part = part;
        this.clock = clock;
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
