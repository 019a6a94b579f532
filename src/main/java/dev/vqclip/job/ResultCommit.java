package dev.vqclip.job;

import dev.vqclip.engine.RenderResult;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a worker hands a finished image to the store without ever losing it: kept on disk first ({@link ResultSpool}),
 * the DONE commit retried with backoff while the lease is held, and whatever could not be committed offered again by
 * the next start.
 */
final class ResultCommit {
    private static final Logger log = LoggerFactory.getLogger(ResultCommit.class);

    private final String workerId;
    private final Leases leases;
    private final JobReads reads;
    private final ResultSpool spool;
    private final JobEvents events;
    private final Limits limits;
    private final BooleanSupplier running;

    /** @param running false once the worker is stopping: retries end, the kept file stays for the next start */
    ResultCommit(String workerId, JobStore store, ResultSpool spool, JobEvents events, Limits limits, BooleanSupplier running) {
        this.workerId = workerId;
        this.leases = store.leases();
        this.reads = store.reads();
        this.spool = spool;
        this.events = events;
        this.limits = limits;
        this.running = running;
    }

    /** Keeps, commits and announces one stamped result. */
    void commit(Job job, Lease lease, byte[] png, RenderResult result, long gpuMs) {
        Optional<ResultSpool.Kept> kept = spool.keep(job.id(), lease.token(), result.iterations(), gpuMs, png);
        Boolean committed = commitWhileHeld(job, lease, png, result, gpuMs);
        if (committed == null) {
            log.warn("job {}: the result could not be committed while the lease was held; {}", job.id(), kept.isPresent()
                    ? "it is kept in " + kept.get().file() + " for the next start" : "it is lost (no spool folder)");
            return;
        }
        spool.drop(kept);
        if (committed) {
            events.publish(new JobEvent.Finished(job.id(), png, result.recipe().seed(), result.iterations(),
                    result.finalLoss()));
        } else {
            log.warn("job {}: result of lease token {} was refused (the lease expired and the job moved on)",
                    job.id(), lease.token());
        }
    }

    /**
     * The DONE commit, retried with backoff while a store error lasts and the lease is held (renewed between tries):
     * a finished image never turns into FAILED because the database hiccupped. Null when the lease ran out (or the
     * worker is stopping) before a commit went through.
     */
    private Boolean commitWhileHeld(Job job, Lease lease, byte[] png, RenderResult result, long gpuMs) {
        long heldSinceNanos = System.nanoTime();
        long backoffMs = 50;
        while (true) {
            try {
                return leases.complete(lease, png, result.iterations(), result.finalLoss(), gpuMs);
            } catch (RuntimeException e) {
                log.warn("job {}: committing the result failed ({}); retrying in {} ms", job.id(), e.getMessage(), backoffMs);
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            backoffMs = Math.min(backoffMs * 2, limits.heartbeat().toMillis());
            try {
                if (leases.heartbeat(lease, result.iterations(), result.finalLoss(), limits.lease()) == Heartbeat.LOST) {
                    return false;
                }
                heldSinceNanos = System.nanoTime();
            } catch (RuntimeException e) {
                log.warn("job {}: renewing the lease failed too: {}", job.id(), e.getMessage());
            }
            if (!running.getAsBoolean() || System.nanoTime() - heldSinceNanos > limits.lease().toNanos()) {
                return null;
            }
        }
    }

    /** Offers every kept result to the store under the lease it was rendered with. */
    void adoptKept() {
        for (ResultSpool.Kept kept : spool.pending()) {
            try {
                byte[] png = ResultSpool.read(kept);
                boolean adopted = leases.adopt(new Lease(kept.jobId(), kept.token(), workerId), png, kept.iterations(),
                        kept.gpuMs());
                if (adopted) {
                    log.info("job {}: adopted the result rendered under lease token {}", kept.jobId(), kept.token());
                    reads.find(kept.jobId()).ifPresent(j -> events.publish(new JobEvent.Finished(j.id(), png,
                            j.recipe().seed(), kept.iterations(), Double.NaN)));
                } else {
                    log.info("job {}: the kept result of lease token {} is stale; dropped", kept.jobId(), kept.token());
                }
                spool.drop(Optional.of(kept));
            } catch (IOException | RuntimeException e) {
                log.warn("job {}: the kept result could not be adopted yet: {}", kept.jobId(), e.getMessage());
            }
        }
    }
}
