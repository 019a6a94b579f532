package dev.vqclip.app;

import dev.vqclip.discord.AdminCommand;
import dev.vqclip.discord.Derivation;
import dev.vqclip.discord.ImagineBackend;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.JobSummary;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.discord.Usage;
import dev.vqclip.job.CancelResult;
import dev.vqclip.job.JobEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Passes every call to the real backend and lets a test wait for the bot's delivery confirmations. */
final class ObservedBackend implements ImagineBackend {
    private final ImagineBackend real;
    private final BlockingQueue<Map.Entry<String, ReplyAddress>> deliveries = new LinkedBlockingQueue<>();

    ObservedBackend(ImagineBackend real) {
        this.real = real;
    }

    /** The next delivery the bot confirmed; fails the test after the timeout. */
    Map.Entry<String, ReplyAddress> awaitDelivery(Duration timeout) throws InterruptedException {
        Map.Entry<String, ReplyAddress> d = deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (d == null) {
            throw new AssertionError("the bot confirmed no delivery within " + timeout);
        }
        return d;
    }

    @Override
    public void delivered(String jobId, ReplyAddress card) {
        real.delivered(jobId, card);
        deliveries.add(Map.entry(jobId, card));
    }

    @Override
    public Submission submit(ImagineRequest request) {
        return real.submit(request);
    }

    @Override
    public Submission derive(String parentJobId, Derivation how, Requester requester, ReplyAddress reply,
                             String requestId) {
        return real.derive(parentJobId, how, requester, reply, requestId);
    }

    @Override
    public CancelResult cancel(String jobId, Requester by) {
        return real.cancel(jobId, by);
    }

    @Override
    public List<JobSummary> queue(String userId) {
        return real.queue(userId);
    }

    @Override
    public List<JobSummary> history(String userId, int limit) {
        return real.history(userId, limit);
    }

    @Override
    public Optional<JobSummary> job(String jobId) {
        return real.job(jobId);
    }

    @Override
    public List<JobSummary> openCards() {
        return real.openCards();
    }

    @Override
    public Optional<byte[]> resultImage(String jobId) {
        return real.resultImage(jobId);
    }

    @Override
    public Optional<byte[]> timelapse(String jobId) {
        return real.timelapse(jobId);
    }

    @Override
    public Usage usage(String userId) {
        return real.usage(userId);
    }

    @Override
    public void cardMoved(String jobId, ReplyAddress card) {
        real.cardMoved(jobId, card);
    }

    @Override
    public Optional<String> decode(byte[] image) {
        return real.decode(image);
    }

    @Override
    public String admin(AdminCommand command, String guildId, Requester by) {
        return real.admin(command, guildId, by);
    }

    @Override
    public int maxIterations() {
        return real.maxIterations();
    }

    @Override
    public void deliveryFailed(String jobId, String reason) {
        real.deliveryFailed(jobId, reason);
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        return real.subscribe(listener);
    }
}
