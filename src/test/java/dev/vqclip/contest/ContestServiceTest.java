package dev.vqclip.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.job.CostModel;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.testing.ManualClock;
import dev.vqclip.job.RecipePayloads;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcContestStore;
import dev.vqclip.store.JdbcJobStore;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contest rules on the real stores (H2), with stamped images read back by the real provenance reader. */
class ContestServiceTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String GUILD = "1000";
    private static final UserRef ALICE = new UserRef("discord", "11", "alice");
    private static final UserRef BOB = new UserRef("discord", "12", "bob");
    private static final UserRef CAROL = new UserRef("discord", "13", "carol");
    private static final EntryTemplate TEMPLATE = new EntryTemplate("clip", 1.0, "original", 5, List.of("m", "n"),
            256, 100, 128, 128, 10, 4);

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T0);
    private Database db;
    private JdbcJobStore jobStore;
    private JobService jobs;
    private ContestService service;
    private ContestSchedule schedule;

    @BeforeEach
    void setUp() {
        db = Database.open(Database.h2FileUrl(dir));
        jobStore = new JdbcJobStore(db, clock);
        jobs = new JobService(jobStore, Limits.defaults().withPerUser(1, 10), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), new JobEvents(), clock);
        ProvenanceReader reader = new ProvenanceReader();
        ImageProvenance provenance = image -> {
            try {
                return reader.read(image).jobId();
            } catch (Exception e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        };
        service = new ContestService(new JdbcContestStore(db), jobs, PromptParser.lenient(), TEMPLATE, provenance,
                clock, new Random(7)::nextLong);
        schedule = new ContestSchedule(service, t -> { });
    }

    @AfterEach
    void tearDown() {
        jobStore.close();
        db.close();
    }

    private Contest start(SeedRule rule, int entries, int votes) {
        return service.start(new NewContest(GUILD, "2000", "foxes", new RenderRules("m", 128, 128, 10, 4, rule, 42),
                entries, votes, T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), "discord:99"));
    }

    /** Renders a job "for real" as far as the store and provenance go: claimed, stamped PNG, completed. */
    private byte[] finish(long jobId) throws Exception {
        Lease lease = jobStore.queue().claim(jobId, "w", Duration.ofMinutes(1), 10).orElseThrow();
        Job job = jobStore.reads().find(jobId).orElseThrow();
        BufferedImage image = new BufferedImage(job.recipe().width(), job.recipe().height(), BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(jobId);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, noise.nextInt(0x1000000));
            }
        }
        byte[] png = new Stamper(Watermark.standard(), "test").stamp(image,
                RecipePayloads.of(job.recipe(), job.recipe().iterations(), Map.of(), jobId, "test"), jobId);
        assertThat(jobStore.leases().complete(lease, png, job.recipe().iterations(), 0.5, 100)).isTrue();
        return png;
    }

    private long imagine(UserRef who, int size, long seed) {
        Recipe r = new Recipe(PromptSchedule.of(List.of(new WeightedPrompt("an earlier fox"))), List.of(), List.of(),
                seed, size, size, 10, 4, 1.0, "original", 0.1, "adam", null, "none", 0, "m", "clip", "vqgan", 5);
        return ((SubmitResult.Accepted) jobs.submit(new JobRequest(who, r, ""))).job().id();
    }

    @Test
    void entriesRenderInTheContestLaneUnderTheRulesAndMembersCannotChangeThem() {
        Contest c = start(SeedRule.SHARED, 1, 1);
        ContestService.EntryReceipt receipt = service.enter(c.id(), GUILD, ALICE, "a fox", null, 10, 42L, "1");
        Job job = jobs.job(receipt.entry().jobId()).orElseThrow();
        assertThat(job.lane()).isEqualTo(dev.vqclip.job.Lane.CONTEST);
        assertThat(job.recipe().seed()).isEqualTo(42);
        assertThat(job.recipe().width()).isEqualTo(128);
        assertThatThrownBy(() -> service.enter(c.id(), GUILD, BOB, "an owl", "512x512", null, null, "2"))
                .hasMessageStartingWith("size:");
        assertThatThrownBy(() -> service.enter(c.id(), GUILD, BOB, "an owl", null, 50, null, "3"))
                .hasMessageStartingWith("iterations:");
        assertThatThrownBy(() -> service.enter(c.id(), GUILD, BOB, "an owl", null, null, 7L, "4"))
                .hasMessageStartingWith("seed: every entry uses seed 42");
        assertThatThrownBy(() -> service.enter(c.id(), GUILD, ALICE, "another fox", null, null, null, "5"))
                .hasMessageStartingWith("entries per member");
        assertThatThrownBy(() -> service.enter(c.id(), "other-guild", BOB, "an owl", null, null, null, "6"))
                .hasMessageContaining("no contest " + c.id() + " in this server");
        assertThat(jobStore.reads().queued()).as("refused entries queue nothing").hasSize(1);
    }

    @Test
    void aFailedRenderFreesItsPlaceUnderTheLimit() {
        Contest c = start(SeedRule.PER_ENTRY, 1, 1);
        long first = service.enter(c.id(), GUILD, ALICE, "a fox", null, null, null, "1").entry().jobId();
        jobs.cancel(first, ALICE, false);
        assertThat(service.enter(c.id(), GUILD, ALICE, "a second fox", null, null, null, "2").entry().jobId())
                .isNotEqualTo(first);
    }

    @Test
    void anEarlierImageIsAcceptedOnlyIfItIsTheMembersUnalteredJobUnderTheRulesInsideTheWindow() throws Exception {
        long before = imagine(ALICE, 128, 42);
        byte[] tooEarly = finish(before);
        clock.advance(Duration.ofMinutes(1));
        Contest c = start(SeedRule.SHARED, 3, 1);
        clock.advance(Duration.ofMinutes(1));
        byte[] bobs = finish(imagine(BOB, 128, 42));
        byte[] wrongSize = finish(imagine(ALICE, 64, 42));
        byte[] wrongSeed = finish(imagine(ALICE, 128, 5));
        long good = imagine(ALICE, 128, 42);
        byte[] original = finish(good);

        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, tooEarly)).hasMessageStartingWith("entry window:");
        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, bobs)).hasMessageStartingWith("author:");
        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, wrongSize)).hasMessageContaining("(size:");
        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, wrongSeed)).hasMessageContaining("(seed:");
        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, Pictures.blindCopy(original)))
                .as("no provenance left").hasMessageStartingWith("provenance:");
        Entry entry = service.submit(c.id(), GUILD, ALICE, original);
        assertThat(entry.jobId()).isEqualTo(good);
        assertThat(entry.source()).isEqualTo(EntrySource.SUBMITTED);
        assertThatThrownBy(() -> service.submit(c.id(), GUILD, ALICE, original)).hasMessageStartingWith("duplicate:");
    }

    @Test
    void votingOpensAtTheEntryEndWithRenderedEntriesOnlyAndRefusesWhatTheRulesForbid() throws Exception {
        Contest c = start(SeedRule.SHARED, 1, 2);
        Entry a = service.enter(c.id(), GUILD, ALICE, "a fox", null, null, null, "1").entry();
        Entry b = service.enter(c.id(), GUILD, BOB, "an owl", null, null, null, "2").entry();
        Entry late = service.enter(c.id(), GUILD, CAROL, "a hare", null, null, null, "3").entry();
        finish(a.jobId());
        finish(b.jobId());
        jobs.cancel(late.jobId(), CAROL, false);
        assertThatThrownBy(() -> service.vote(c.id(), GUILD, CAROL, 1)).hasMessageStartingWith("voting window:");

        clock.advance(Duration.ofMinutes(60));
        List<Transition> opened = schedule.advance(false);
        assertThat(opened).singleElement().isInstanceOf(Transition.VotingOpened.class);
        Transition.VotingOpened v = (Transition.VotingOpened) opened.get(0);
        assertThat(v.note()).isNull();
        assertThat(v.ballot()).extracting(Entry::id).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(v.leftOut()).extracting(Entry::id).containsExactly(late.id());
        assertThatThrownBy(() -> service.enter(c.id(), GUILD, CAROL, "a hare", null, null, null, "4"))
                .hasMessageStartingWith("entry window:");

        int aliceNumber = v.ballot().get(0).id() == a.id() ? 1 : 2;
        int bobNumber = 3 - aliceNumber;
        assertThatThrownBy(() -> service.vote(c.id(), GUILD, ALICE, aliceNumber)).hasMessageStartingWith("no self-votes");
        assertThatThrownBy(() -> service.vote(c.id(), null, CAROL, aliceNumber)).hasMessageStartingWith("members only");
        assertThatThrownBy(() -> service.vote(c.id(), GUILD, CAROL, 9)).hasMessageContaining("no entry #9");
        assertThat(service.vote(c.id(), GUILD, CAROL, aliceNumber).kind()).isEqualTo(Ballot.Kind.ADDED);
        assertThat(service.vote(c.id(), GUILD, CAROL, bobNumber).kind()).as("two votes allowed")
                .isEqualTo(Ballot.Kind.ADDED);
        assertThat(service.ballotNumbersOf(c.id(), CAROL.key())).containsExactly(aliceNumber, bobNumber);

        clock.advance(Duration.ofMinutes(60));
        assertThatThrownBy(() -> service.vote(c.id(), GUILD, BOB, aliceNumber)).hasMessageStartingWith("voting window:");
        List<Transition> closed = schedule.advance(false);
        Results r = ((Transition.Closed) closed.get(0)).results();
        assertThat(r.standings()).extracting(s -> s.entry().id()).containsExactly(a.id(), b.id());
        assertThat(service.reads().results(c.id()).orElseThrow().standings()).isEqualTo(r.standings());
        assertThat(schedule.advance(false)).as("closed once").isEmpty();
    }

    @Test
    void aPhaseThatEndedWhileTheBotWasDownIsClosedAtStartWithANote() {
        Contest c = start(SeedRule.SHARED, 1, 1);
        clock.advance(Duration.ofHours(3));
        List<Transition> both = schedule.advance(true);
        assertThat(both).hasSize(2);
        assertThat(((Transition.VotingOpened) both.get(0)).note()).contains("offline when entries ended");
        Transition.Closed closed = (Transition.Closed) both.get(1);
        assertThat(closed.note()).contains("offline when voting ended");
        assertThat(closed.contest().phase()).isEqualTo(Phase.CLOSED);
        assertThat(service.reads().contest(c.id()).orElseThrow().note()).contains("offline");
    }

    @Test
    void votingWaitsForEntriesStillRenderingUpToTheGrace() {
        Contest c = start(SeedRule.SHARED, 1, 1);
        service.enter(c.id(), GUILD, ALICE, "a fox", null, null, null, "1");
        clock.advance(Duration.ofHours(1));
        assertThat(schedule.advance(false)).isEmpty();
        clock.advance(ContestSchedule.RENDER_GRACE);
        Transition.VotingOpened v = (Transition.VotingOpened) schedule.advance(false).get(0);
        assertThat(v.ballot()).isEmpty();
        assertThat(v.leftOut()).hasSize(1);
    }

    @Test
    void adminsCanOnlyMoveEndTimesLaterAndCancelOpenContests() {
        assertThatThrownBy(() -> service.start(new NewContest(GUILD, "2000", "x", new RenderRules("m", 128, 128, 10, 4,
                SeedRule.SHARED, 1), 1, 1, T0.minusSeconds(1), T0.plusSeconds(60), "discord:99")))
                .hasMessageStartingWith("schedule:");
        assertThatThrownBy(() -> service.start(new NewContest(GUILD, "2000", "x", new RenderRules("m", 1024, 128, 10, 4,
                SeedRule.SHARED, 1), 1, 1, T0.plusSeconds(60), T0.plusSeconds(120), "discord:99")))
                .hasMessageStartingWith("size:");
        Contest c = start(SeedRule.SHARED, 1, 1);
        assertThatThrownBy(() -> service.extend(c.id(), GUILD, T0.plusSeconds(10), null))
                .hasMessageContaining("only move later");
        assertThatThrownBy(() -> service.extend(c.id(), GUILD, T0.plus(Duration.ofHours(3)), null))
                .hasMessageStartingWith("schedule:");
        Contest later = service.extend(c.id(), GUILD, null, T0.plus(Duration.ofHours(5)));
        assertThat(later.voteEnd()).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(service.cancel(c.id(), GUILD).phase()).isEqualTo(Phase.CANCELLED);
        assertThatThrownBy(() -> service.cancel(c.id(), GUILD)).hasMessageContaining("already cancelled");
        assertThatThrownBy(() -> service.resolve(null, GUILD)).hasMessageContaining("no open contest");
    }
}
