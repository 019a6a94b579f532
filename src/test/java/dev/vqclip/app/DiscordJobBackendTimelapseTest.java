package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.Timelapse;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 🎞 side of the Discord port over the real store (H2): the workers' stored timelapse reaches the card. */
class DiscordJobBackendTimelapseTest {
    private static final Requester ALICE = new Requester("1200000000000000001", "alice", false);
    private static final ReplyAddress CHANNEL = new ReplyAddress("1000000000000000001", "1000000000000000002", null);
    private static final BotDefaults DEFAULTS = new BotDefaults("vq_a", "ViT-B/32", List.of("vq_a"), 256, 256,
            300, 32, 1.0, "latest", 10, 768, 1000);

    @TempDir
    Path dir;
    Database db;
    JdbcJobStore store;
    JdbcShowcase showcase;
    JobService jobs;
    final JobEvents events = new JobEvents();
    DiscordJobBackend backend;
    final List<JobEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(Database.h2FileUrl(dir));
        store = new JdbcJobStore(db, Clock.systemUTC());
        showcase = new JdbcShowcase(db, Clock.systemUTC());
        jobs = new JobService(store, Limits.defaults().withPerUser(3, 10), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), events, Clock.systemUTC());
        backend = new DiscordJobBackend(jobs, events, DEFAULTS, PromptParser.lenient(), new ProvenanceReader(), null, () -> 42)
                .withTimelapses(showcase);
        backend.subscribe(seen::add);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private long submit(String prompt) {
        Submission s = backend.submit(new ImagineRequest(ALICE, prompt, new ImagineOptions(null, null, null, null, null,
                null, null, null), CHANNEL));
        return Long.parseLong(((Submission.Accepted) s).jobId());
    }

    /** Runs the job as a worker does: optionally stores a timelapse under its lease, then announces the image. */
    private void finish(long id, boolean keepTimelapse) {
        Lease lease = store.queue().claim(id, "w1", Duration.ofMinutes(5), 10).orElseThrow();
        if (keepTimelapse) {
            Timelapse t = new Timelapse(8, 32);
            t.add(frame(1));
            t.add(frame(2));
            assertThat(showcase.storeTimelapse(lease, t.finish(frame(3)).orElseThrow())).isTrue();
        }
        byte[] png = {4, 5, 6};
        assertThat(store.leases().complete(lease, png, 300, 0.4, 100)).isTrue();
        events.publish(new JobEvent.Finished(id, png, 42, 300, 0.4));
    }

    private static BufferedImage frame(int k) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | (k * 60));
            }
        }
        return img;
    }

    private JobEvent.Finished finished(long id) {
        return seen.stream().filter(e -> e instanceof JobEvent.Finished && e.jobId() == id)
                .map(e -> (JobEvent.Finished) e).findFirst().orElseThrow();
    }

    @Test
    void aStoredTimelapseIsServedAsAGifAndAJobWithoutOneHasNone() {
        long with = submit("a lantern");
        long without = submit("a candle");
        finish(with, true);
        finish(without, false);

        assertThat(finished(with).png()).containsExactly(4, 5, 6); // the card, seeing it, asks for the 🎞 below
        byte[] gif = backend.timelapse(Long.toString(with)).orElseThrow();
        assertThat(new String(Arrays.copyOf(gif, 6), StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(gif).isEqualTo(showcase.timelapse(with).orElseThrow().bytes());
        assertThat(backend.timelapse(Long.toString(without))).isEmpty();
        assertThat(backend.timelapse("not-a-job")).isEmpty();
    }

    @Test
    void otherPlatformsTimelapsesAreNotTheBots() {
        SubmitResult other = jobs.submit(new JobRequest(new UserRef("web", "u-1", "web user"),
                Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("snow"))), 3), "x"));
        long id = ((SubmitResult.Accepted) other).job().id();
        finish(id, true);
        assertThat(showcase.timelapse(id)).isPresent();
        assertThat(backend.timelapse(Long.toString(id))).isEmpty();
    }
}
