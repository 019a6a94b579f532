package dev.vqclip.app;

import dev.vqclip.testing.TinyModels;
import dev.vqclip.bench.provenance.SyntheticImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.contest.Pictures;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Limits;
import dev.vqclip.job.RecipePayloads;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.Attack;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blind voting holds against /decode: a contest entry's image never resolves to its recipe through the mark. */
class ContestEntryDecodeTest {
    @TempDir
    Path dir;

    @Test
    void aContestEntryWhoseMarkAloneSurvivedIsNamedAnEntryWithoutItsPrompt() throws Exception {
        try (Database db = Database.open(Database.h2FileUrl(dir)); JdbcJobStore store = new JdbcJobStore(db,
                Clock.systemUTC())) {
            JobEvents events = new JobEvents();
            JobService jobs = new JobService(store, Limits.defaults(), CostModel.defaults(),
                    new Moderation(PromptPolicy.defaults()), events, Clock.systemUTC());
            DiscordJobBackend backend = new DiscordJobBackend(jobs, events, new BotDefaults(TinyModels.VQGAN,
                    TinyModels.CLIP, List.of(TinyModels.VQGAN), 64, 48, 4, 4, 1.0, "original", 2, 256, 100),
                    PromptParser.lenient(), new ProvenanceReader(), null);
            Recipe recipe = TinyModels.recipe("a secret fox", 4, 2, 42);
            long id = ((SubmitResult.Accepted) jobs.submit(new JobRequest(new UserRef("discord", "11", "alice"), recipe,
                    "contest:1", Lane.CONTEST, null, null))).job().id();
            byte[] stamped = new Stamper(Watermark.standard(), "vqclip test").stamp(
                    new SyntheticImages(300, 300).image(9, 2), RecipePayloads.of(recipe, 4, Map.of(), id, "t"), id);
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(Attack.jpeg(75).apply(ImageIO.read(new ByteArrayInputStream(stamped)), new SplittableRandom(1)),
                    "jpeg", jpeg);

            String markOnly = backend.decode(jpeg.toByteArray()).orElseThrow();
            assertThat(markOnly).startsWith("layers: watermark\njob " + id + "\n").contains("a contest entry")
                    .doesNotContain("secret");
            assertThat(backend.decode(Pictures.blindCopy(stamped)).orElse("")).as("the ballot copy")
                    .doesNotContain("secret");
        }
    }
}
