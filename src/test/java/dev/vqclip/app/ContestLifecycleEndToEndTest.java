package dev.vqclip.app;

import dev.vqclip.testing.TinyModels;
import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static dev.vqclip.discord.fake.FakeDiscord.MODERATOR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestService;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.EntrySource;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.Vote;
import dev.vqclip.discord.BotToken;
import dev.vqclip.discord.DiscordBot;
import dev.vqclip.discord.DiscordConfig;
import dev.vqclip.discord.DiscordEndpoints;
import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Limits;
import dev.vqclip.testing.ManualClock;
import dev.vqclip.testing.TinyModels;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcContestStore;
import dev.vqclip.store.JdbcJobStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole contest through real JDA against the loopback fake Discord, the persistent scheduler on H2 and a worker
 * rendering with the real engine on the tiny models; the contest's clock is moved by hand.
 */
class ContestLifecycleEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration TICK = Duration.ofMillis(200);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private FakeDiscord fake;
    private Database db;
    private JdbcJobStore store;
    private JobService jobs;
    private JobEvents events;
    private BotDefaults defaults;
    private ContestService contests;
    private EngineRenderer renderer;
    private Worker worker;
    private Thread workerThread;
    private DiscordBot bot;

    @AfterEach
    void stop() throws Exception {
        if (worker != null) {
            worker.shutdown(Duration.ZERO);
            workerThread.join(30_000);
        }
        if (bot != null) {
            bot.close();
        }
        if (renderer != null) {
            renderer.close();
        }
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private void startSystem() throws Exception {
        fake = new FakeDiscord();
        db = Database.open(Database.h2FileUrl(dir.resolve("db")));
        store = new JdbcJobStore(db, clock);
        events = new JobEvents();
        Limits limits = Limits.defaults().withPerUser(1, 10).withLease(Duration.ofSeconds(30), Duration.ofMillis(100));
        jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()), events, clock);
        defaults = new BotDefaults(TinyModels.VQGAN, TinyModels.CLIP, List.of(TinyModels.VQGAN), 64, 48, 4, 4, 1.0,
                "original", 2, 256, 100);
        contests = ContestWiring.contests(new JdbcContestStore(db), jobs, defaults, PromptParser.lenient(), clock);
        renderer = TinyModels.renderer(dir.resolve("models"));
        worker = new Worker("w1", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(100), false, "vqclip test"), clock);
        workerThread = new Thread(worker, "contest-test-worker");
        workerThread.start();
        bot = startBot();
    }

    private DiscordBot startBot() throws Exception {
        DiscordConfig config = new DiscordConfig(new BotToken("fake-token"), List.of(), Duration.ofMillis(100),
                Map.of(), List.of(), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
        return DiscordBot.start(config, new DiscordJobBackend(jobs, events, defaults, PromptParser.lenient(),
                new ProvenanceReader(), null), contests, TICK, clock);
    }

    @Test
    void aContestFromStartThroughEntriesBlindVotingAndARestartToRankingAndLeaderboard() throws Exception {
        long t0 = System.nanoTime();
        startSystem();
        Instant entryEnd = clock.instant().plus(Duration.ofHours(1));
        Instant voteEnd = clock.instant().plus(Duration.ofHours(2));

        // ---- start: Manage Server only; the announcement carries the rules and live countdowns
        phase(t0, "start");
        String byBob = fake.sendSlashCommand(BOB, start(entryEnd, voteEnd));
        assertThat(answer(byBob)).contains("Manage Server");
        assertThat(answer(fake.sendSlashCommand(MODERATOR, start(entryEnd, voteEnd)))).contains("Contest #");
        Contest contest = contests.reads().open(Long.toString(FakeDiscord.GUILD_ID)).get(0);
        RecordedRequest announcement = post(r -> r.content().contains("🎨 **Contest #" + contest.id()));
        assertThat(announcement.content()).contains("foxes in the snow", "64x48 · 4 steps · 4 cutouts · seed 42",
                "<t:" + entryEnd.getEpochSecond() + ":R>", "<t:" + voteEnd.getEpochSecond() + ":R>",
                "2 entries per member");
        assertThat(contests.reads().contest(contest.id()).orElseThrow().announcementId())
                .isEqualTo(announcement.responseMessageId());

        // ---- an image Alice made earlier with /imagine under the same rules, inside the entry window
        phase(t0, "an earlier /imagine");
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "an early fox").integer("seed", 42)
                .string("size", "64x48").integer("iterations", 4));
        RecordedRequest earlierCard = fake.awaitRequest("the /imagine card", r -> r.isChannelMessagePost()
                && r.succeeded() && r.content() != null && r.content().contains("an early fox"), TIMEOUT);
        String earlierCardId = earlierCard.responseMessageId();
        fake.awaitRequest("the final image on the card", r -> r.isChannelMessageEdit() && r.status() == 200
                && r.messageId().equals(earlierCardId) && r.hasFile("vqclip-"), TIMEOUT);
        byte[] earlier = fake.attachment(fake.message(earlierCardId).get("attachments").get(0));

        // ---- entries: under the rules, one forbidden size, one over the limit, an altered copy refused
        phase(t0, "entries");
        assertThat(answer(fake.sendSlashCommand(ALICE, enter("a fox asleep in the snow")))).contains("rendering as job");
        assertThat(answer(fake.sendSlashCommand(ALICE, submit(altered(earlier)))))
                .contains("altered").contains("pixels differ");
        assertThat(answer(fake.sendSlashCommand(ALICE, submit(earlier)))).contains("is your entry");
        assertThat(answer(fake.sendSlashCommand(ALICE, enter("a third fox")))).contains("entries per member")
                .contains("2 entries per member");
        assertThat(answer(fake.sendSlashCommand(BOB, enter("a snowy owl").string("size", "512x512"))))
                .contains("size: every entry of this contest is 64x48; you asked for 512x512");
        assertThat(answer(fake.sendSlashCommand(BOB, enter("a snowy owl")))).contains("rendering as job");
        assertThat(answer(fake.sendSlashCommand(MODERATOR, enter("a white hare")))).contains("rendering as job");
        List<Entry> entries = contests.reads().entries(contest.id());
        assertThat(entries).hasSize(4);
        assertThat(entries).filteredOn(e -> e.source() == EntrySource.SUBMITTED).singleElement()
                .satisfies(e -> assertThat(e.memberId()).isEqualTo(Long.toString(ALICE.id())));
        for (Entry e : entries) {
            awaitJob(e.jobId(), JobState.DONE);
        }
        Job rendered = store.reads().find(entries.get(0).jobId()).orElseThrow();
        assertThat(rendered.lane()).isEqualTo(dev.vqclip.job.Lane.CONTEST);
        assertThat(List.of(rendered.recipe().width(), rendered.recipe().height(), rendered.recipe().iterations(),
                rendered.recipe().cutn())).containsExactly(64, 48, 4, 4);
        assertThat(rendered.recipe().seed()).isEqualTo(42);
        String hidden = answer(fake.sendSlashCommand(BOB, SlashCommand.of("contest").subcommand("show")
                .integer("id", contest.id())));
        assertThat(hidden).contains("Taking entries (4 so far)").doesNotContain("asleep", "owl", "hare");

        // ---- voting opens on its own when the clock passes the entry end: numbered, blind, in a fixed order
        phase(t0, "voting opens");
        clock.advance(Duration.ofMinutes(61));
        post(r -> r.content().contains("🗳 **Voting is open: contest #" + contest.id()));
        Map<Integer, Entry> ballot = contests.reads().entries(contest.id()).stream()
                .collect(Collectors.toMap(Entry::ballotNumber, e -> e));
        assertThat(ballot.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4);
        Map<Integer, String> ballotMessages = new java.util.HashMap<>();
        for (int n = 1; n <= 4; n++) {
            int number = n;
            RecordedRequest entryPost = post(r -> r.content().startsWith("**#" + number + "** · contest"));
            assertThat(entryPost.content()).doesNotContain("<@", "fox", "owl", "hare");
            assertThat(entryPost.buttonIds()).containsExactly("contest:vote:" + contest.id() + ":" + n);
            byte[] shown = fake.attachment(fake.message(entryPost.responseMessageId()).get("attachments").get(0));
            assertThat(new ProvenanceReader().read(shown).recipe()).as("no recipe on the ballot").isEmpty();
            assertThat(pixelsDifferAtMostInTheLowestBit(shown, store.reads().result(ballot.get(n).jobId()).orElseThrow()))
                    .isTrue();
            ballotMessages.put(n, entryPost.responseMessageId());
            if (n == 1) {
                String decoded = answer(fake.sendSlashCommand(BOB, SlashCommand.of("decode")
                        .string("link", FakeDiscord.messageLink(entryPost.responseMessageId()))));
                System.out.println("[measure] /decode of a ballot image: " + decoded.replace('\n', ' '));
                assertThat(decoded).as("/decode of a ballot image").doesNotContain("fox", "owl", "hare");
                if (decoded.contains("layers:")) {
                    assertThat(decoded).contains("a contest entry");
                }
            }
        }
        int aliceRendered = number(ballot, ALICE, EntrySource.RENDERED);
        int aliceSubmitted = number(ballot, ALICE, EntrySource.SUBMITTED);
        int bobs = number(ballot, BOB, EntrySource.RENDERED);
        int mos = number(ballot, MODERATOR, EntrySource.RENDERED);

        // ---- votes: self-vote refused, a changed vote counted once, a click from outside the server refused
        phase(t0, "votes");
        assertThat(vote(ALICE, aliceSubmitted, ballotMessages)).contains("no self-votes");
        assertThat(vote(BOB, aliceRendered, ballotMessages)).contains("recorded");
        assertThat(vote(BOB, mos, ballotMessages)).contains("moved to #" + mos);
        String outside = fake.sendButtonClickOutsideTheServer(BOB, ballotMessages.get(aliceRendered),
                "contest:vote:" + contest.id() + ":" + aliceRendered);
        assertThat(answer(outside)).contains("members only");
        assertThat(vote(MODERATOR, aliceSubmitted, ballotMessages)).contains("recorded");
        assertThat(vote(ALICE, bobs, ballotMessages)).contains("recorded").doesNotContain("1 vote");
        assertThat(contests.reads().contest(contest.id()).orElseThrow().phase()).isEqualTo(Phase.VOTING);

        // ---- a restart during voting: the ballot and the votes survive, voting goes on
        phase(t0, "a restart during voting");
        bot.close();
        bot = startBot();
        assertThat(vote(ALICE, mos, ballotMessages)).contains("moved to #" + mos);

        // ---- the bot is down when voting ends: it closes the contest when it comes back, with a note
        phase(t0, "the bot is down when voting ends");
        bot.close();
        bot = null;
        clock.advance(Duration.ofMinutes(61));
        bot = startBot();
        RecordedRequest results = post(r -> r.content().contains("🏆 **Results of contest #" + contest.id()));
        String ranking = results.content();
        assertThat(ranking).contains("offline when voting ended");
        List<String> lines = ranking.lines().filter(l -> l.contains("**#")).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("🥇 **#" + mos + "** " + MODERATOR.mention() + " · 2 votes · “a white hare");
        assertThat(lines.get(1)).startsWith("🥈 **#" + aliceSubmitted + "** " + ALICE.mention() + " · 1 vote · “an early fox");
        assertThat(lines.get(2)).as("a tie at 0 goes to the earlier entry")
                .startsWith("🥉 **#" + aliceRendered + "** " + ALICE.mention() + " · 0 votes");
        assertThat(lines.get(3)).startsWith("4. **#" + bobs + "** " + BOB.mention() + " · 0 votes");
        assertThat(results.hasFile("winner-contest-" + contest.id())).isTrue();
        byte[] winnerImage = fake.attachment(fake.message(results.responseMessageId()).get("attachments").get(0));
        assertThat(winnerImage).isEqualTo(store.reads().result(ballot.get(mos).jobId()).orElseThrow());
        List<Vote> stored = new JdbcContestStore(db).votes(contest.id());
        assertThat(stored).as("Bob's and Alice's changed votes are stored once each").hasSize(3);

        String table = answer(fake.sendSlashCommand(BOB, SlashCommand.of("contest").subcommand("leaderboard")));
        List<String> rows = table.lines().filter(l -> l.matches("\\d+\\. .*")).toList();
        assertThat(rows).containsExactly(
                "1. " + MODERATOR.mention() + " · 1 win · 1 podium · 2 points",
                "2. " + ALICE.mention() + " · 0 wins · 1 podium · 1 point",
                "3. " + BOB.mention() + " · 0 wins · 0 podiums · 0 points");
        String shown = answer(fake.sendSlashCommand(ALICE, SlashCommand.of("contest").subcommand("show")
                .integer("id", contest.id())));
        assertThat(shown).contains("a white hare", "🥇");

        // ---- cancel and extend: the same admins only
        phase(t0, "cancel and extend");
        Instant later = clock.instant().plus(Duration.ofDays(1));
        assertThat(answer(fake.sendSlashCommand(MODERATOR, SlashCommand.of("contest").subcommand("start")
                .string("theme", "owls").string("entries_end", later.toString())
                .string("voting_end", later.plus(Duration.ofDays(1)).toString())))).contains("is announced");
        long second = contests.reads().open(Long.toString(FakeDiscord.GUILD_ID)).get(0).id();
        assertThat(answer(fake.sendSlashCommand(BOB, SlashCommand.of("contest").subcommand("cancel")
                .integer("id", second)))).contains("Manage Server");
        Instant voteLater = later.plus(Duration.ofDays(2));
        assertThat(answer(fake.sendSlashCommand(MODERATOR, SlashCommand.of("contest").subcommand("extend")
                .integer("id", second).string("voting_end", voteLater.toString())))).contains("extended");
        post(r -> r.content().startsWith("⏳ Contest #" + second) && r.content().contains(
                "<t:" + voteLater.getEpochSecond() + ":R>"));
        assertThat(answer(fake.sendSlashCommand(MODERATOR, SlashCommand.of("contest").subcommand("cancel")
                .integer("id", second)))).contains("is cancelled");
        post(r -> r.content().startsWith("🚫 Contest #" + second + " (owls) was cancelled by " + MODERATOR.mention()));
        assertThat(contests.reads().contest(second).orElseThrow().phase()).isEqualTo(Phase.CANCELLED);
    }

    private static void phase(long t0, String what) {
        System.out.println("[measure] contest lifecycle +" + (System.nanoTime() - t0) / 1_000_000 + " ms: " + what);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static SlashCommand start(Instant entryEnd, Instant voteEnd) {
        return SlashCommand.of("contest").subcommand("start").string("theme", "foxes in the snow")
                .string("entries_end", entryEnd.toString()).string("voting_end", "<t:" + voteEnd.getEpochSecond() + ":f>")
                .string("size", "64x48").integer("iterations", 4).integer("cutouts", 4).integer("seed", 42)
                .integer("entries_per_member", 2);
    }

    private static SlashCommand enter(String prompt) {
        return SlashCommand.of("contest").subcommand("enter").string("prompt", prompt);
    }

    private static SlashCommand submit(byte[] png) {
        return SlashCommand.of("contest").subcommand("submit").attachment("image", "mine.png", png);
    }

    private String vote(FakeUser user, int number, Map<Integer, String> messages) throws InterruptedException {
        long contestId = contests.reads().recent(Long.toString(FakeDiscord.GUILD_ID), 1).get(0).id();
        return answer(fake.sendButtonClick(user, messages.get(number), "contest:vote:" + contestId + ":" + number));
    }

    private static int number(Map<Integer, Entry> ballot, FakeUser who, EntrySource source) {
        return ballot.entrySet().stream().filter(e -> e.getValue().memberId().equals(Long.toString(who.id()))
                && e.getValue().source() == source).findFirst().orElseThrow().getKey();
    }

    private RecordedRequest post(Predicate<RecordedRequest> which) throws InterruptedException {
        return fake.awaitRequest("a channel post", r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && which.test(r), TIMEOUT);
    }

    private String answer(String interactionId) throws InterruptedException {
        return fake.awaitAnswer(interactionId, TIMEOUT).content();
    }

    private void awaitJob(long jobId, JobState state) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (store.reads().find(jobId).map(Job::state).orElse(null) != state) {
            assertThat(System.nanoTime()).as("job " + jobId + " reaches " + state).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * The stamped image retouched: a block's colours inverted in their high bits, low bits kept, so the LSB
     * provenance still names the job, as it would after careful editing.
     */
    private static byte[] altered(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        for (int y = image.getHeight() - 8; y < image.getHeight(); y++) {
            for (int x = image.getWidth() - 8; x < image.getWidth(); x++) {
                image.setRGB(x, y, image.getRGB(x, y) ^ 0x808080);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static boolean pixelsDifferAtMostInTheLowestBit(byte[] a, byte[] b) throws Exception {
        BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
        BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
        for (int row = 0; row < x.getHeight(); row++) {
            for (int col = 0; col < x.getWidth(); col++) {
                if (((x.getRGB(col, row) ^ y.getRGB(col, row)) & 0xFEFEFE) != 0) {
                    return false;
                }
            }
        }
        return x.getWidth() == y.getWidth() && x.getHeight() == y.getHeight();
    }
}
