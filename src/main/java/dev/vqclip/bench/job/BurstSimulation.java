package dev.vqclip.bench.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * Discrete-event run of a {@link BurstTrace} on {@code workers} simulated GPUs. At each event time, in this order:
 * finished jobs are completed, due submissions are submitted, then idle workers (lowest number first) claim until
 * nothing is claimable. Time only moves when the next event is due, so a run of hours takes as long as its queue
 * operations.
 */
final class BurstSimulation {
    /** What happened to one admitted job; times in ms since the start of the burst. */
    record Outcome(BurstTrace.Submission submission, long startMs, long endMs) {
        long waitMs() {
            return startMs - submission.atMs();
        }
    }

    /** @param admitted the admitted jobs, in arrival order; refused counts what admission refused */
    record Result(List<Outcome> admitted, int refused) {
    }

    private record Running(long endMs, int worker, BurstTrace.Submission submission, long startMs) {
    }

    private BurstSimulation() {
    }

    /**
     * @param offer which submissions are offered to the queue at all (e.g. only those another run admitted)
     */
    static Result run(BurstTrace trace, ClaimOrder queue, int workers, SimulatedClock clock, IntPredicate offer) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        List<BurstTrace.Submission> arrivals = trace.submissions();
        PriorityQueue<Running> running = new PriorityQueue<>(
                Comparator.comparingLong(Running::endMs).thenComparingInt(Running::worker));
        boolean[] idle = new boolean[workers];
        Arrays.fill(idle, true);
        Outcome[] outcomes = new Outcome[arrivals.size()];
        int next = 0;
        int refused = 0;
        long startOffset = clock.elapsedMs();
        while (next < arrivals.size() || !running.isEmpty()) {
            long t = Long.MAX_VALUE;
            if (next < arrivals.size()) {
                t = arrivals.get(next).atMs();
            }
            if (!running.isEmpty()) {
                t = Math.min(t, running.peek().endMs());
            }
            clock.advanceTo(startOffset + t);
            while (!running.isEmpty() && running.peek().endMs() == t) {
                Running done = running.poll();
                queue.complete(done.worker(), done.submission().durationMs());
                outcomes[done.submission().seq()] = new Outcome(done.submission(), done.startMs(), t);
                idle[done.worker()] = true;
            }
            while (next < arrivals.size() && arrivals.get(next).atMs() == t) {
                BurstTrace.Submission s = arrivals.get(next++);
                if (offer.test(s.seq()) && !queue.submit(s)) {
                    refused++;
                }
            }
            for (int w = 0; w < workers; w++) {
                if (!idle[w]) {
                    continue;
                }
                OptionalInt claimed = queue.claim(w);
                if (claimed.isEmpty()) {
                    break;
                }
                BurstTrace.Submission s = arrivals.get(claimed.getAsInt());
                running.add(new Running(t + s.durationMs(), w, s, t));
                idle[w] = false;
            }
        }
        if (queue.queued() != 0) {
            throw new IllegalStateException(queue.queued() + " admitted jobs were never claimed although every worker was idle");
        }
        List<Outcome> admitted = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o != null) {
                admitted.add(o);
            }
        }
        return new Result(admitted, refused);
    }
}
