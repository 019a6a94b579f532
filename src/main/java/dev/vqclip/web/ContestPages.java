package dev.vqclip.web;

import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestReads;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.LeaderRow;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.Pictures;
import dev.vqclip.contest.Results;
import dev.vqclip.job.JobService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The contest pages (read-only; voting stays in Discord). What a page shows follows the phase: while entries are
 * taken only their count, while voting the ballot's images without authors or prompts (re-encoded so the recipe
 * cannot be read back, as on the Discord ballot), once closed the ranking with names and prompts.
 */
public final class ContestPages implements PageModule {
    static final int RECENT = 10;
    static final int LEADERS = 20;

    private final ContestReads contests;
    private final JobService jobs;
    private final Clock clock;

    /** @param jobs where the entries' images are read (contest jobs are private: only this module shows them) */
    public ContestPages(ContestReads contests, JobService jobs, Clock clock) {
        this.contests = contests;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes, Templates templates) {
        routes.get("/contests", ctx -> ctx.html(templates.render("contests.jte", Map.of("index", index()))));
        routes.get("/contests/{id}", ctx -> ctx.html(templates.render("contest.jte", Map.of("page", page(contest(ctx))))));
        routes.get("/contests/{id}/entries/{number}/image.png", this::image);
    }

    private ContestViews.Index index() {
        Instant now = clock.instant();
        List<ContestViews.Summary> open = contests.open(null).stream().map(c -> ContestViews.Summary.of(c, now)).toList();
        List<ContestViews.Summary> past = contests.recent(null, RECENT + open.size()).stream()
                .filter(c -> !c.phase().isOpen()).limit(RECENT).map(c -> ContestViews.Summary.of(c, now)).toList();
        return new ContestViews.Index(open, past);
    }

    private Contest contest(Context ctx) {
        long id = PathParams.id(ctx, "id", "a contest id");
        return contests.contest(id).orElseThrow(() -> new NotFoundResponse("there is no contest " + id));
    }

    private ContestViews.Page page(Contest c) {
        ContestViews.Summary summary = ContestViews.Summary.of(c, clock.instant());
        List<Entry> entries = contests.entries(c.id());
        int live = (int) entries.stream().filter(e -> !e.withdrawn()).count();
        List<Integer> ballot = List.of();
        List<ContestViews.Place> results = List.of();
        List<ContestViews.Leader> leaders = List.of();
        if (c.phase() == Phase.VOTING) {
            ballot = entries.stream().map(Entry::ballotNumber).filter(n -> n != null).sorted().toList();
        } else if (c.phase() == Phase.CLOSED) {
            results = contests.results(c.id()).map(Results::standings).orElse(List.of()).stream()
                    .map(ContestViews.Place::of).toList();
            List<LeaderRow> rows = contests.leaderboard(c.guildId());
            leaders = new ArrayList<>();
            for (int i = 0; i < Math.min(LEADERS, rows.size()); i++) {
                leaders.add(ContestViews.Leader.of(i + 1, rows.get(i)));
            }
        }
        return new ContestViews.Page(summary, live, ballot, results, leaders);
    }

    /** An entry's image by its ballot number: a blind copy while voting, the render itself once closed. */
    private void image(Context ctx) {
        int number = PathParams.ballotNumber(ctx);
        Contest c = contest(ctx);
        if (c.phase() != Phase.VOTING && c.phase() != Phase.CLOSED) {
            throw new NotFoundResponse("contest " + c.id() + " shows its entries only from when voting opens");
        }
        Entry entry = contests.entries(c.id()).stream()
                .filter(e -> e.ballotNumber() != null && e.ballotNumber() == number)
                .min(Comparator.comparingLong(Entry::id))
                .orElseThrow(() -> new NotFoundResponse("contest " + c.id() + " has no entry #" + number));
        byte[] png = jobs.result(entry.jobId()).orElseThrow(() -> new NotFoundResponse("entry #" + number
                + " has no stored image"));
        boolean voting = c.phase() == Phase.VOTING;
        ctx.contentType("image/png").header("Cache-Control", voting ? "no-store" : "public, max-age=86400")
                .result(voting ? Pictures.blindCopy(png) : png);
    }
}
