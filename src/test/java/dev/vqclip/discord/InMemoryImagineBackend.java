package dev.vqclip.discord;

import dev.vqclip.job.CancelResult;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * A test-only job system: it accepts every job and does nothing until the test drives it ({@link #progress},
 * {@link #finish}); previews and results are small real PNGs drawn with java.awt, a different colour per step.
 */
final class InMemoryImagineBackend implements ImagineBackend {
    /** One accepted job and how it was asked for. */
    record TestJob(String jobId, Requester requester, String prompt, ImagineOptions options, ReplyAddress reply,
                   String parentJobId, Derivation derivation) {
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, TestJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobState> states = new ConcurrentHashMap<>();
    private final Map<String, byte[]> results = new ConcurrentHashMap<>();
    private final Map<String, byte[]> timelapses = new ConcurrentHashMap<>();
    private final BlockingQueue<TestJob> submissions = new LinkedBlockingQueue<>();
    private final List<Consumer<JobEvent>> listeners = new CopyOnWriteArrayList<>();
    /** Where each job's card is, as {@link #cardMoved} records it (what the real backend persists). */
    private final Map<String, ReplyAddress> replies = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    private final Map<String, Integer> totals = new ConcurrentHashMap<>();
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    final List<Map.Entry<String, ReplyAddress>> cardMoves = new CopyOnWriteArrayList<>();
    final List<Map.Entry<String, ReplyAddress>> deliveries = new CopyOnWriteArrayList<>();
    final List<AdminCommand> adminCommands = new CopyOnWriteArrayList<>();
    /** The server each admin command was for (the string "global" for the global settings). */
    final List<String> adminScopes = new CopyOnWriteArrayList<>();

    @Override
    public int maxIterations() {
        return 1000;
    }

    /** When set, submissions are refused with this reason. */
    volatile String refusal;

    @Override
    public Submission submit(ImagineRequest r) {
        String refused = refusal;
        if (refused != null) {
            return new Submission.Refused(refused);
        }
        return accept(new TestJob(Integer.toString(ids.incrementAndGet()), r.requester(), r.prompt(), r.options(), r.reply(),
                null, null));
    }

    @Override
    public Submission derive(String parentJobId, Derivation how, Requester requester, ReplyAddress reply,
                             String requestId) {
        TestJob parent = jobs.get(parentJobId);
        return accept(new TestJob(Integer.toString(ids.incrementAndGet()), requester, parent.prompt(), parent.options(), reply,
                parentJobId, how));
    }

    private Submission accept(TestJob job) {
        jobs.put(job.jobId(), job);
        states.put(job.jobId(), JobState.QUEUED);
        replies.put(job.jobId(), job.reply());
        submissions.add(job);
        return new Submission.Accepted(job.jobId(), 1, Duration.ofSeconds(30));
    }

    /** The next job the bot submitted; fails the test after the timeout. */
    TestJob awaitSubmission(Duration timeout) throws InterruptedException {
        TestJob job = submissions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (job == null) {
            throw new AssertionError("the bot submitted no job within " + timeout);
        }
        return job;
    }

    boolean hasPendingSubmissions() {
        return !submissions.isEmpty();
    }

    void progress(String jobId, int step, int total) {
        states.put(jobId, JobState.RUNNING);
        steps.put(jobId, step);
        totals.put(jobId, total);
        emit(new JobEvent.Progress(Long.parseLong(jobId), step, total, 1.0 - step / (double) total, png(step, 32)));
    }

    void finish(String jobId) {
        finish(jobId, null);
    }

    /** Finishes the job with a timelapse of its run kept (as a worker stores one), or none when {@code gif} is null. */
    void finish(String jobId, byte[] gif) {
        byte[] png = png(1000 + Integer.parseInt(jobId), 64); // distinct per job, for decode
        results.put(jobId, png);
        if (gif != null) {
            timelapses.put(jobId, gif);
        }
        states.put(jobId, JobState.DONE);
        emit(new JobEvent.Finished(Long.parseLong(jobId), png, 42, totals.getOrDefault(jobId, 1), 0.0));
    }

    private void emit(JobEvent event) {
        listeners.forEach(l -> l.accept(event));
    }

    @Override
    public CancelResult cancel(String jobId, Requester by) {
        JobState state = states.get(jobId);
        if (state == null) {
            return CancelResult.NOT_FOUND;
        }
        // like the job system, it trusts the moderator flag: the bot must clear it for other servers' jobs
        if (!by.userId().equals(jobs.get(jobId).requester().userId()) && !by.moderator()) {
            return CancelResult.NOT_ALLOWED;
        }
        if (state.isFinal()) {
            return CancelResult.ALREADY_FINISHED;
        }
        states.put(jobId, JobState.CANCELLED);
        emit(new JobEvent.Cancelled(Long.parseLong(jobId), by.user().key()));
        return CancelResult.CANCELLED;
    }

    @Override
    public List<JobSummary> queue(String userId) {
        return summaries(userId).stream().filter(s -> !s.status().isFinal()).toList();
    }

    @Override
    public List<JobSummary> history(String userId, int limit) {
        return summaries(userId).stream().limit(limit).toList();
    }

    private List<JobSummary> summaries(String userId) {
        List<JobSummary> mine = new ArrayList<>();
        jobs.keySet().forEach(id -> job(id).filter(s -> s.ownerId().equals(userId)).ifPresent(mine::add));
        return mine;
    }

    @Override
    public Optional<JobSummary> job(String jobId) {
        TestJob j = jobs.get(jobId);
        if (j == null) {
            return Optional.empty();
        }
        return Optional.of(new JobSummary(jobId, j.requester().userId(), j.prompt(), states.get(jobId), 1, null, null,
                42, recipe(j.prompt()), j.parentJobId(), Instant.EPOCH, replies.get(jobId), null,
                steps.getOrDefault(jobId, 0), totals.getOrDefault(jobId, 1)));
    }

    /** The recipe every test job runs: the prompt at weight 1, seed 42, 64x64. */
    static Recipe recipe(String prompt) {
        return Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt(prompt))), 42).withSize(64, 64);
    }

    @Override
    public List<JobSummary> openCards() {
        return jobs.keySet().stream().sorted().map(this::job).flatMap(Optional::stream)
                .filter(s -> s.reply() != null && s.reply().cardMessageId() != null)
                .filter(s -> !s.status().isFinal() || !delivered.contains(s.jobId())).toList();
    }

    /** Whether the bot reported the job's final state as shown. */
    boolean isDelivered(String jobId) {
        return delivered.contains(jobId);
    }

    @Override
    public Optional<byte[]> resultImage(String jobId) {
        return Optional.ofNullable(results.get(jobId));
    }

    @Override
    public Optional<byte[]> timelapse(String jobId) {
        return Optional.ofNullable(timelapses.get(jobId));
    }

    @Override
    public Usage usage(String userId) {
        return new Usage(0, 1, queue(userId).size(), 5, 12, 600, Duration.ofHours(1), null, false);
    }

    @Override
    public void cardMoved(String jobId, ReplyAddress card) {
        synchronized (cardMoves) {
            cardMoves.add(Map.entry(jobId, card));
            replies.put(jobId, card);
            cardMoves.notifyAll();
        }
    }

    /** Waits until the bot has recorded that the job's card is message {@code messageId} (it does so after posting). */
    void awaitCardRecorded(String jobId, String messageId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (cardMoves) {
            while (replies.get(jobId) == null || !messageId.equals(replies.get(jobId).cardMessageId())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("job " + jobId + "'s card " + messageId + " was not recorded within " + timeout);
                }
                cardMoves.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void delivered(String jobId, ReplyAddress card) {
        deliveries.add(Map.entry(jobId, card));
        synchronized (delivered) {
            delivered.add(jobId);
            delivered.notifyAll();
        }
    }

    /** Waits until the bot reported the job's final state as shown; fails the test after the timeout. */
    void awaitDelivered(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (delivered) {
            while (!delivered.contains(jobId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the bot did not deliver job " + jobId + " within " + timeout);
                }
                delivered.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public Optional<String> decode(byte[] image) {
        return results.entrySet().stream().filter(e -> Arrays.equals(e.getValue(), image)).findFirst()
                .map(e -> "job " + e.getKey() + ": " + jobs.get(e.getKey()).prompt());
    }

    @Override
    public String admin(AdminCommand command, String guildId, Requester by) {
        adminCommands.add(command);
        adminScopes.add(guildId == null ? "global" : guildId);
        return "done: " + command;
    }

    /** Jobs whose card the bot gave up on, with the reason. */
    final Map<String, String> deliveryFailures = new ConcurrentHashMap<>();

    @Override
    public void deliveryFailed(String jobId, String reason) {
        synchronized (deliveryFailures) {
            deliveryFailures.put(jobId, reason);
            deliveryFailures.notifyAll();
        }
    }

    /** Waits until the bot gave up on the job's card; returns the reason. */
    String awaitDeliveryFailed(String jobId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveryFailures) {
            while (!deliveryFailures.containsKey(jobId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the bot did not give up on job " + jobId + " within " + timeout);
                }
                deliveryFailures.wait(Math.max(1, left / 1_000_000));
            }
            return deliveryFailures.get(jobId);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** A small real PNG whose colour depends on {@code step}, so every preview differs. */
    static byte[] png(int step, int side) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color((step * 37) % 256, (step * 91) % 256, (step * 13) % 256));
        g.fillRect(0, 0, side, side);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
