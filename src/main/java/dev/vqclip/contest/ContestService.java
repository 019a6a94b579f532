package dev.vqclip.contest;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.ParseResult;
import dev.vqclip.prompt.PromptError;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptSet;
import dev.vqclip.prompt.Recipe;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The contest rules, whatever the platform: who may start, enter and vote, and when. Entries render in the
 * scheduler's contest lane under the contest's fixed rules; the schedule advances with the injected clock
 * ({@link ContestSchedule}). Every refusal is a {@link ContestRefusal} that names the rule.
 */
public final class ContestService {
    /** The reply address of contest jobs: they have no card; the ballot shows them (entries stay hidden till then). */
    static final String REPLY_PREFIX = "contest:";

    private final ContestStore store;
    private final JobService jobs;
    private final PromptParser parser;
    private final EntryTemplate template;
    private final ImageProvenance provenance;
    private final Clock clock;
    private final LongSupplier random;

    public ContestService(ContestStore store, JobService jobs, PromptParser parser, EntryTemplate template,
                          ImageProvenance provenance, Clock clock, LongSupplier random) {
        this.store = store;
        this.jobs = jobs;
        this.parser = parser;
        this.template = template;
        this.provenance = provenance;
        this.clock = clock;
        this.random = () -> random.getAsLong() & Long.MAX_VALUE;
    }

    /** True for the reply address of a contest entry's job, which adapters must not show as a card. */
    public static boolean isEntryReply(String replyTo) {
        return replyTo != null && replyTo.startsWith(REPLY_PREFIX);
    }

    public ContestReads reads() {
        return store;
    }

    public EntryTemplate template() {
        return template;
    }

    Clock clock() {
        return clock;
    }

    ContestStore store() {
        return store;
    }

    // ---- admins --------------------------------------------------------------------------------------------

    public Contest start(NewContest request) {
        template.check(request.rules());
        request.checkSchedule(clock.instant());
        return store.create(request, clock.instant(), random.getAsLong());
    }

    public void announced(long contestId, String messageId) {
        store.setAnnouncement(contestId, messageId);
    }

    public Contest cancel(long contestId, String guildId) {
        Contest c = inGuild(contestId, guildId);
        if (!c.phase().isOpen() || !store.setPhase(c.id(), c.phase(), Phase.CANCELLED, null)) {
            throw new ContestRefusal("contest " + contestId + " is already " + phaseName(c.phase()));
        }
        return store.contest(contestId).orElseThrow();
    }

    /** New end times, each only later than before; the entry end only while entries are taken. */
    public Contest extend(long contestId, String guildId, Instant entryEnd, Instant voteEnd) {
        Contest c = inGuild(contestId, guildId);
        if (!c.phase().isOpen()) {
            throw new ContestRefusal("contest " + contestId + " is already " + phaseName(c.phase()));
        }
        if (entryEnd == null && voteEnd == null) {
            throw new ContestRefusal("extend: give a new entries end, a new voting end, or both");
        }
        if (entryEnd != null && c.phase() != Phase.ENTRIES) {
            throw new ContestRefusal("extend: entries of contest " + contestId + " are closed; only voting can be "
                    + "extended");
        }
        Instant newEntry = entryEnd == null ? c.entryEnd() : entryEnd;
        Instant newVote = voteEnd == null ? c.voteEnd() : voteEnd;
        if (newEntry.isBefore(c.entryEnd()) || newVote.isBefore(c.voteEnd())) {
            throw new ContestRefusal("extend: end times can only move later (entries end " + c.entryEnd()
                    + ", voting ends " + c.voteEnd() + ")");
        }
        if (!newEntry.isBefore(newVote)) {
            throw new ContestRefusal("schedule: voting must end after entries close, got entries until " + newEntry
                    + " and voting until " + newVote);
        }
        if (!store.reschedule(contestId, newEntry, newVote)) {
            throw new ContestRefusal("contest " + contestId + " closed meanwhile");
        }
        return store.contest(contestId).orElseThrow();
    }

    // ---- entries -------------------------------------------------------------------------------------------

    /**
     * A member's prompt, rendered under the rules. Options the member gave must agree with the rules (a refusal
     * names the rule); the job is queued in the contest lane before the entry is recorded.
     *
     * @param requestId the platform's id of the request, so a request delivered twice queues one job; may be null
     */
    public EntryReceipt enter(long contestId, String guildId, UserRef member, String prompt, String size,
                              Integer iterations, Long seed, String requestId) {
        Contest c = inGuild(contestId, guildId);
        requireEntries(c);
        RenderRules rules = c.rules();
        if (size != null && !size.strip().equalsIgnoreCase(rules.size())) {
            throw new ContestRefusal("size: every entry of this contest is " + rules.size() + "; you asked for "
                    + size.strip());
        }
        if (iterations != null && iterations != rules.iterations()) {
            throw new ContestRefusal("iterations: every entry of this contest runs " + rules.iterations()
                    + " steps; you asked for " + iterations);
        }
        if (seed != null && (rules.seedRule() == SeedRule.PER_ENTRY || seed != rules.seed())) {
            throw new ContestRefusal("seed: " + (rules.seedRule() == SeedRule.SHARED ? "every entry uses seed "
                    + rules.seed() : "each entry gets a random seed") + "; you asked for " + seed);
        }
        requireRoom(c, member);
        ParseResult<PromptSet> parsed = parser.parse(prompt == null ? "" : prompt, "", "", 0);
        if (parsed instanceof PromptError<PromptSet> e) {
            throw new ContestRefusal("prompt: " + e.message());
        }
        PromptSet set = parsed.orElseThrow();
        if (!set.images().isEmpty() || !set.noise().isEmpty()) {
            throw new ContestRefusal("text only: contest entries take text prompts, not image or noise prompts");
        }
        long entrySeed = rules.seedRule() == SeedRule.SHARED ? rules.seed() : random.getAsLong();
        Recipe recipe = template.recipe(rules, set, entrySeed);
        String idem = requestId == null ? null : REPLY_PREFIX + member.platform() + ":" + requestId;
        SubmitResult result = jobs.submit(new JobRequest(member, recipe, REPLY_PREFIX + c.id(), Lane.CONTEST, null,
                idem));
        if (result instanceof SubmitResult.Refused r) {
            throw new ContestRefusal(r.reason());
        }
        SubmitResult.Accepted accepted = (SubmitResult.Accepted) result;
        Job job = accepted.job();
        Optional<Entry> entry = store.addEntry(c.id(), member.key(), member.displayName(), job.id(),
                PromptFormat.format(recipe.prompts()), EntrySource.RENDERED, clock.instant(), c.entriesPerMember());
        if (entry.isEmpty()) {
            if (!accepted.duplicate()) {
                jobs.cancel(job.id(), member, false);
            }
            throw limitReached(c);
        }
        return new EntryReceipt(c, entry.get(), accepted.position());
    }

    /** @param position the job's place in the queue (0 when it already runs) */
    public record EntryReceipt(Contest contest, Entry entry, int position) {
    }

    /**
     * An image the member made earlier with this bot: accepted only if its provenance names a finished job of theirs
     * that ran under the contest's rules inside the entry window, and its pixels are that job's image.
     */
    public Entry submit(long contestId, String guildId, UserRef member, byte[] image) {
        Contest c = inGuild(contestId, guildId);
        requireEntries(c);
        Job job = new EarlierImage(jobs, provenance, template).check(c, member, image);
        if (store.entries(c.id()).stream().anyMatch(e -> e.jobId() == job.id())) {
            throw new ContestRefusal("duplicate: job " + job.id() + " is already an entry of this contest");
        }
        requireRoom(c, member);
        String prompt = job.promptText() == null ? PromptFormat.format(job.recipe().prompts()) : job.promptText();
        return store.addEntry(c.id(), member.key(), member.displayName(), job.id(), prompt, EntrySource.SUBMITTED,
                clock.instant(), c.entriesPerMember()).orElseThrow(() -> limitReached(c));
    }

    /** Withdraws the member's entries whose render failed or was cancelled, then checks the per-member limit. */
    private void requireRoom(Contest c, UserRef member) {
        int live = 0;
        for (Entry e : store.entries(c.id())) {
            if (e.withdrawn() || !e.memberKey().equals(member.key())) {
                continue;
            }
            JobState state = jobs.job(e.jobId()).map(Job::state).orElse(JobState.FAILED);
            if (state == JobState.FAILED || state == JobState.CANCELLED) {
                store.withdraw(e.id());
            } else {
                live++;
            }
        }
        if (live >= c.entriesPerMember()) {
            throw limitReached(c);
        }
    }

    private static ContestRefusal limitReached(Contest c) {
        return new ContestRefusal("entries per member: contest " + c.id() + " takes " + c.entriesPerMember()
                + (c.entriesPerMember() == 1 ? " entry" : " entries") + " per member, and you have entered that many");
    }

    private static void requireEntries(Contest c) {
        if (c.phase() != Phase.ENTRIES) {
            throw new ContestRefusal("entry window: contest " + c.id() + " is " + phaseName(c.phase())
                    + "; it takes no more entries");
        }
    }

    // ---- votes ---------------------------------------------------------------------------------------------

    /**
     * One click on entry {@code number}'s vote button by a member of the contest's server ({@code guildId} is where
     * the click came from; null outside any server).
     */
    public Ballot.Click vote(long contestId, String guildId, UserRef voter, int number) {
        Contest c = store.contest(contestId).orElseThrow(() -> new ContestRefusal("there is no contest " + contestId));
        if (guildId == null || !guildId.equals(c.guildId())) {
            throw new ContestRefusal("members only: only members of the contest's server can vote");
        }
        if (c.phase() != Phase.VOTING || !clock.instant().isBefore(c.voteEnd())) {
            throw new ContestRefusal("voting window: contest " + contestId + " is " + phaseName(
                    c.phase() == Phase.VOTING ? Phase.CLOSED : c.phase()) + "; votes are no longer taken");
        }
        Entry entry = store.byBallotNumber(contestId, number)
                .orElseThrow(() -> new ContestRefusal("there is no entry #" + number + " in contest " + contestId));
        if (entry.memberKey().equals(voter.key())) {
            throw new ContestRefusal("no self-votes: #" + number + " is your own entry");
        }
        return store.vote(contestId, voter.key(), entry.id(), c.votesPerMember(), clock.instant());
    }

    /** The ballot numbers the voter currently votes for, in click order. */
    public List<Integer> ballotNumbersOf(long contestId, String voterKey) {
        List<Entry> entries = store.entries(contestId);
        return store.votesOf(contestId, voterKey).stream().map(id -> entries.stream().filter(e -> e.id() == id)
                .findFirst().map(Entry::ballotNumber).orElse(0)).toList();
    }

    // ---- reads for adapters --------------------------------------------------------------------------------

    /** The contest a command means: the one named, in this server, or else the server's only open one. */
    public Contest resolve(Long contestId, String guildId) {
        if (contestId != null) {
            return inGuild(contestId, guildId);
        }
        List<Contest> open = store.open(guildId);
        if (open.size() == 1) {
            return open.get(0);
        }
        throw new ContestRefusal(open.isEmpty() ? "there is no open contest in this server"
                : "this server has " + open.size() + " open contests (" + open.stream().map(c -> "#" + c.id())
                .toList() + "); say which with id:");
    }

    /** The image shown on the ballot: the entry's render without anything that names its author or prompt. */
    public byte[] ballotImage(Entry entry) {
        return Pictures.blindCopy(jobs.result(entry.jobId()).orElseThrow(() -> new IllegalStateException(
                "job " + entry.jobId() + " of entry " + entry.id() + " has no stored image")));
    }

    /** The winner's image as rendered (provenance included: at the close nothing is hidden any more). */
    public Optional<byte[]> resultImage(Entry entry) {
        return jobs.result(entry.jobId());
    }

    Contest inGuild(long contestId, String guildId) {
        return store.contest(contestId).filter(c -> c.guildId().equals(guildId))
                .orElseThrow(() -> new ContestRefusal("there is no contest " + contestId + " in this server"));
    }

    static String phaseName(Phase phase) {
        return switch (phase) {
            case ENTRIES -> "taking entries";
            case VOTING -> "voting";
            case CLOSED -> "closed";
            case CANCELLED -> "cancelled";
        };
    }

    JobService jobs() {
        return jobs;
    }
}
