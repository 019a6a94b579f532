package dev.vqclip.contest;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves contests on when their deadlines pass, by the service's clock: entries close and voting opens, voting
 * closes and the ranking is stored. The deadlines live in the database, so a restarted bot finds them; the first
 * pass after a start closes what ended while the bot was down, with a note saying so.
 */
public final class ContestSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContestSchedule.class);
    /**
     * How long voting waits past the entry deadline for entries still rendering (the contest lane runs first, so
     * this is rarely needed); what has not finished by then is left off the ballot.
     */
    public static final Duration RENDER_GRACE = Duration.ofMinutes(15);

    private final ContestService service;
    private final Consumer<Transition> announcer;
    private ScheduledExecutorService ticker;

    /** @param announcer told of every transition (on the schedule's thread); it must not throw for a lost message */
    public ContestSchedule(ContestService service, Consumer<Transition> announcer) {
        this.service = service;
        this.announcer = announcer;
    }

    /** Runs a startup pass now, then a pass every {@code every} (real time; the deadlines follow the service clock). */
    public synchronized ContestSchedule start(Duration every) {
        if (ticker != null) {
            throw new IllegalStateException("the contest schedule is already running");
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "contest-schedule");
            t.setDaemon(true);
            return t;
        });
        ticker.execute(() -> runPass(true));
        ticker.scheduleWithFixedDelay(() -> runPass(false), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void runPass(boolean startup) {
        try {
            for (Transition t : advance(startup)) {
                try {
                    announcer.accept(t);
                } catch (RuntimeException e) {
                    LOG.warn("could not announce {} of contest {}", t.getClass().getSimpleName(), t.contest().id(), e);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("the contest schedule pass failed; it runs again at the next tick", e);
        }
    }

    /**
     * Advances every open contest whose deadline passed. A deadline is late when it passed before this process
     * started ({@code startup}): the transition then carries a note.
     */
    public List<Transition> advance(boolean startup) {
        Instant now = service.clock().instant();
        List<Transition> done = new ArrayList<>();
        for (Contest c : service.store().open(null)) {
            if (c.phase() == Phase.ENTRIES && !now.isBefore(c.entryEnd())
                    && (!stillRendering(c) || !now.isBefore(c.entryEnd().plus(RENDER_GRACE)))) {
                String note = startup ? late("entries", c.entryEnd()) : null;
                openVoting(c, note).ifPresent(done::add);
                c = service.store().contest(c.id()).orElseThrow();
            }
            if (c.phase() == Phase.VOTING && !now.isBefore(c.voteEnd())) {
                String note = startup ? late("voting", c.voteEnd()) : null;
                service.store().close(c.id(), note).ifPresent(r -> done.add(new Transition.Closed(r.contest(), r, note)));
            }
        }
        return done;
    }

    private boolean stillRendering(Contest c) {
        return service.store().entries(c.id()).stream().filter(e -> !e.withdrawn())
                .anyMatch(e -> service.jobs().job(e.jobId()).map(j -> !j.state().isFinal()).orElse(false));
    }

    private static String late(String what, Instant at) {
        return "The bot was offline when " + what + " ended (<t:" + at.getEpochSecond() + ":f>); it closed them when it "
                + "came back.";
    }

    /**
     * Numbers the rendered entries in an order drawn from the contest's seed (the same after a restart); entries
     * whose job did not finish are left off the ballot and listed.
     */
    private java.util.Optional<Transition> openVoting(Contest c, String note) {
        List<Entry> ready = new ArrayList<>();
        List<Entry> leftOut = new ArrayList<>();
        for (Entry e : service.store().entries(c.id())) {
            if (e.withdrawn()) {
                continue;
            }
            JobState state = service.jobs().job(e.jobId()).map(Job::state).orElse(JobState.FAILED);
            (state == JobState.DONE ? ready : leftOut).add(e);
        }
        ready.sort(Comparator.comparingLong(Entry::id));
        Collections.shuffle(ready, new Random(c.orderSeed()));
        if (!service.store().openVoting(c.id(), ready.stream().map(Entry::id).toList(), note)) {
            return java.util.Optional.empty();
        }
        // the ballot shows them: the jobs count as delivered, so no restart announces them again
        ready.forEach(e -> service.jobs().markDelivered(e.jobId(), ContestService.REPLY_PREFIX + c.id()));
        List<Entry> numbered = service.store().entries(c.id()).stream().filter(e -> e.ballotNumber() != null)
                .sorted(Comparator.comparingInt(Entry::ballotNumber)).toList();
        Contest voting = service.store().contest(c.id()).orElseThrow();
        return java.util.Optional.of(new Transition.VotingOpened(voting, numbered, leftOut, note));
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ticker = null;
        }
    }
}
