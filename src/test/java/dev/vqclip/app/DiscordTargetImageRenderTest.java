package dev.vqclip.app;

import dev.vqclip.testing.TinyModels;
import dev.vqclip.bench.provenance.SyntheticImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.ImageInput;
import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Discord target-image attachment goes through the upload folder, the queue and a real worker to a finished job. */
class DiscordTargetImageRenderTest {
    @TempDir
    Path dir;

    @Test
    void aTargetImageAttachmentRendersToADoneJob() throws Exception {
        BotDefaults tiny = new BotDefaults(TinyModels.VQGAN, TinyModels.CLIP, List.of(TinyModels.VQGAN), 64, 48, 2, 4, 1.0,
                "latest", 1, 256, 10);
        JobEvents events = new JobEvents();
        try (Database db = Database.open(Database.h2FileUrl(dir));
             JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC());
             EngineRenderer renderer = TinyModels.renderer(dir)) {
            JobService jobs = new JobService(store, Limits.defaults(), CostModel.defaults(),
                    new Moderation(PromptPolicy.defaults()), events, Clock.systemUTC());
            DiscordJobBackend backend = new DiscordJobBackend(jobs, events, tiny, PromptParser.lenient(),
                    new ProvenanceReader(), new UploadFolder(dir.resolve("uploads")), () -> 5L);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(new SyntheticImages(40, 40).image(1, 1), "png", png);
            Submission s = backend.submit(new ImagineRequest(new Requester("1200000000000000001", "alice", false), "fog",
                    new ImagineOptions(null, null, null, null, null, new ImageInput("style.png", png.toByteArray()), null, null),
                    new ReplyAddress("1000000000000000001", "1000000000000000002", null)));
            assertThat(s).isInstanceOf(Submission.Accepted.class);
            long id = Long.parseLong(((Submission.Accepted) s).jobId());

            try (Worker worker = new Worker("w1", store, renderer, new Stamper(Watermark.standard(), "test"), events,
                    Limits.defaults(), new Worker.Settings(Duration.ofSeconds(1), false, "test"), Clock.systemUTC())) {
                assertThat(worker.runOnce()).isTrue();
            }
            Job job = store.reads().find(id).orElseThrow();
            assertThat(job.state()).as("failure: %s", job.failure()).isEqualTo(JobState.DONE);
            assertThat(job.recipe().targetImages()).singleElement()
                    .satisfies(t -> assertThat(Path.of(t.source())).startsWith(dir.resolve("uploads").toAbsolutePath()));
        }
    }
}
