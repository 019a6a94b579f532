package dev.vqclip.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestSchedule;
import dev.vqclip.contest.ContestService;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.EntryTemplate;
import dev.vqclip.contest.NewContest;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.RenderRules;
import dev.vqclip.contest.SeedRule;
import dev.vqclip.testing.ManualClock;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.provenance.ProvenanceReader;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contest pages over HTTP, with contests run through the real contest service and store (H2). */
class ContestPagesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String GUILD = "1000";
    private static final UserRef ALICE = new UserRef("discord", "11", "Alice Aardvark");
    private static final UserRef BOB = new UserRef("discord", "12", "Bob Bittern");
    private static final UserRef CAROL = new UserRef("discord", "13", "Carol Caracal");
    private static final EntryTemplate TEMPLATE = new EntryTemplate("clip", 1.0, "original", 5, List.of("m"),
            256, 100, 128, 128, 10, 4);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T0);
    private WebFixture web;
    private ContestService service;
    private ContestSchedule schedule;

    @BeforeEach
    void start() {
        web = new WebFixture(dir, 2, clock);
        service = new ContestService(web.contests, web.jobs, PromptParser.lenient(), TEMPLATE, image -> Optional.empty(),
                clock, new Random(7)::nextLong);
        schedule = new ContestSchedule(service, t -> { });
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private Contest contest(String theme) {
        return service.start(new NewContest(GUILD, "2000", theme, new RenderRules("m", 128, 128, 10, 4, SeedRule.SHARED,
                42), 1, 1, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)), "discord:99"));
    }

    /** Three entries, each rendered: the prompts name their authors' animals so a leak is easy to see. */
    private void enterAll(Contest c) throws Exception {
        for (Object[] e : new Object[][] {{ALICE, "an aardvark lantern"}, {BOB, "a bittern at dawn"},
                {CAROL, "a caracal in snow"}}) {
            long job = service.enter(c.id(), GUILD, (UserRef) e[0], (String) e[1], null, null, null, null).entry().jobId();
            web.finish(job);
        }
    }

    private static final String[] SECRETS = {"Alice", "Bob", "Carol", "aardvark", "bittern", "caracal", "discord:1"};

    @Test
    void indexListsOpenContestsWithRulesAndCountdownAndRecentOnes() throws Exception {
        Contest open = contest("lighthouses");
        Contest cancelled = contest("volcanoes");
        service.cancel(cancelled.id(), GUILD);
        clock.advance(Duration.ofMinutes(20));

        HttpResponse<String> r = web.get("/contests");
        assertThat(r.statusCode()).isEqualTo(200);
        String page = r.body();
        assertThat(page).contains("href=\"/contests\" aria-current=\"page\"", "href=\"/contests/" + open.id() + "\"",
                "lighthouses", "Taking entries", "m · 128x128 · 10 steps · 4 cutouts · seed 42 for everyone",
                "datetime=\"" + open.entryEnd() + "\"", ">40 min</time>");
        int recent = page.indexOf("<h2>Recent</h2>");
        assertThat(page.indexOf("volcanoes")).as("the cancelled contest is listed under recent").isGreaterThan(recent);
        assertThat(page.indexOf("lighthouses")).isLessThan(recent);
        assertThat(web.get("/").body()).as("the nav links the contests").contains("href=\"/contests\"");
    }

    @Test
    void whileTakingEntriesOnlyTheirCountShows() throws Exception {
        Contest c = contest("night birds");
        enterAll(c);
        String page = web.get("/contests/" + c.id()).body();
        assertThat(page).contains("night birds", "3 entries so far", "Taking entries").doesNotContain(SECRETS)
                .doesNotContain("/entries/1/image.png");
        assertThat(web.bytes("/contests/" + c.id() + "/entries/1/image.png").statusCode()).isEqualTo(404);
    }

    @Test
    void whileVotingEntriesAreAnonymousAndNumberedInBallotOrderThenRevealedAtTheClose() throws Exception {
        Contest c = contest("night birds");
        enterAll(c);
        clock.advance(Duration.ofHours(1));
        schedule.advance(false);
        assertThat(web.contests.contest(c.id()).orElseThrow().phase()).isEqualTo(Phase.VOTING);

        String voting = web.get("/contests/" + c.id()).body();
        assertThat(voting).contains("Voting", "alt=\"Entry #1\"", "alt=\"Entry #2\"", "alt=\"Entry #3\"")
                .doesNotContain(SECRETS);
        for (Entry e : web.contests.entries(c.id())) {
            assertThat(voting).doesNotContain("/jobs/" + e.jobId());
        }
        assertThat(voting.indexOf("Entry #1")).isLessThan(voting.indexOf("Entry #2"));
        assertThat(voting.indexOf("Entry #2")).isLessThan(voting.indexOf("Entry #3"));
        HttpResponse<byte[]> ballotImage = web.bytes("/contests/" + c.id() + "/entries/2/image.png");
        assertThat(ballotImage.statusCode()).isEqualTo(200);
        assertThat(ballotImage.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(ballotImage.body())).getWidth()).isEqualTo(128);
        assertThat(new ProvenanceReader().read(ballotImage.body()).recipe()).as("the ballot image carries no recipe")
                .isEmpty();
        assertThat(new ProvenanceReader().read(web.jobs.result(entryNumbered(c, 2).jobId()).orElseThrow()).recipe())
                .as("while the render itself does").isPresent();
        assertThat(new String(ballotImage.body(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("bittern", "aardvark", "caracal");
        assertThat(web.bytes("/contests/" + c.id() + "/entries/4/image.png").statusCode()).isEqualTo(404);

        Entry bobs = web.contests.entries(c.id()).stream().filter(e -> e.memberKey().equals(BOB.key())).findFirst()
                .orElseThrow();
        Entry alices = web.contests.entries(c.id()).stream().filter(e -> e.memberKey().equals(ALICE.key())).findFirst()
                .orElseThrow();
        service.vote(c.id(), GUILD, ALICE, bobs.ballotNumber());
        service.vote(c.id(), GUILD, CAROL, bobs.ballotNumber());
        service.vote(c.id(), GUILD, BOB, alices.ballotNumber());
        clock.advance(Duration.ofHours(2));
        schedule.advance(false);

        String closed = web.get("/contests/" + c.id()).body();
        assertThat(closed).contains("Closed", "id=\"winner\" src=\"/contests/" + c.id() + "/entries/"
                + bobs.ballotNumber() + "/image.png\"", "🏆 Bob Bittern: a bittern at dawn", "(2 votes)",
                "Alice Aardvark", "an aardvark lantern", "Carol Caracal", "a caracal in snow", "id=\"leaderboard\"");
        assertThat(closed.indexOf("Bob Bittern")).isLessThan(closed.indexOf("Alice Aardvark"));
        int board = closed.indexOf("id=\"leaderboard\"");
        assertThat(closed.indexOf("Bob Bittern", board)).isLessThan(closed.indexOf("Alice Aardvark", board));
        HttpResponse<byte[]> winner = web.bytes("/contests/" + c.id() + "/entries/" + bobs.ballotNumber() + "/image.png");
        assertThat(winner.body()).as("after the close the render itself is shown").isEqualTo(
                web.jobs.result(bobs.jobId()).orElseThrow());
    }

    private Entry entryNumbered(Contest c, int n) {
        return web.contests.entries(c.id()).stream().filter(e -> e.ballotNumber() != null && e.ballotNumber() == n)
                .min(Comparator.comparingLong(Entry::id)).orElseThrow();
    }

    @Test
    void badAndUnknownContestIdsAreRefused() throws Exception {
        for (String path : new String[] {"/contests/abc", "/contests/0", "/contests/-3", "/contests/1e3",
                "/contests/12345678901234567890", "/contests/1/entries/x/image.png", "/contests/1/entries/0/image.png"}) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
        }
        assertThat(web.get("/contests/abc").body()).contains("a contest id is a positive whole number");
        HttpResponse<String> missing = web.get("/contests/4242");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("there is no contest 4242");
    }
}
