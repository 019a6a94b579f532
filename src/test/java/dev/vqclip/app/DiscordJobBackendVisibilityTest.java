package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.Derivation;
import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Visibility;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Discord jobs the public web pages may show: guild channels yes, direct messages and private channels never. */
class DiscordJobBackendVisibilityTest {
    private static final Requester ALICE = new Requester("1200000000000000001", "alice", false);
    private static final String GUILD = "1000000000000000001";
    private static final ReplyAddress OPEN_CHANNEL = new ReplyAddress(GUILD, "1000000000000000002", null);
    private static final ReplyAddress PRIVATE_CHANNEL = new ReplyAddress(GUILD, "1000000000000000003", null);
    private static final ReplyAddress DIRECT_MESSAGE = new ReplyAddress(null, "1000000000000000004", null);

    @TempDir
    Path dir;
    Database db;
    JdbcJobStore store;
    JdbcShowcase showcase;
    DiscordJobBackend backend;

    @BeforeEach
    void open() {
        db = Database.open(Database.h2FileUrl(dir));
        store = new JdbcJobStore(db, Clock.systemUTC());
        showcase = new JdbcShowcase(db, Clock.systemUTC());
        JobService jobs = new JobService(store, Limits.defaults().withPerUser(1, 10), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), new JobEvents(), Clock.systemUTC());
        BotDefaults defaults = new BotDefaults("vq_a", "ViT-B/32", List.of("vq_a"), 256, 256, 300, 32, 1.0, "latest", 10,
                768, 1000);
        AtomicLong seeds = new AtomicLong(1);
        backend = new DiscordJobBackend(jobs, new JobEvents(), defaults, PromptParser.lenient(), new ProvenanceReader(),
                null, seeds::getAndIncrement).withPrivateChannels(List.of(PRIVATE_CHANNEL.channelId()));
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private Visibility visibilityOf(Submission s) {
        long id = Long.parseLong(((Submission.Accepted) s).jobId());
        return showcase.visibility(id).orElseThrow();
    }

    private Submission imagine(ReplyAddress where, String prompt) {
        return backend.submit(new ImagineRequest(ALICE, prompt, new ImagineOptions(null, null, null, null, null, null, null,
                null), where));
    }

    @Test
    void guildChannelJobsArePublicButDirectMessagesAndPrivateChannelsAreNot() {
        Submission open = imagine(OPEN_CHANNEL, "a public fox");
        assertThat(visibilityOf(open)).isEqualTo(Visibility.PUBLIC);
        assertThat(visibilityOf(imagine(PRIVATE_CHANNEL, "a private fox"))).isEqualTo(Visibility.PRIVATE);
        assertThat(visibilityOf(imagine(DIRECT_MESSAGE, "a whispered fox"))).isEqualTo(Visibility.PRIVATE);

        // a reroll takes the visibility of where it is asked, not of its parent
        String parent = ((Submission.Accepted) open).jobId();
        assertThat(visibilityOf(backend.derive(parent, Derivation.REROLL, ALICE, DIRECT_MESSAGE, null)))
                .isEqualTo(Visibility.PRIVATE);
    }
}
