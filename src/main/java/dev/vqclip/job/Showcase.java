package dev.vqclip.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read side the web face and the metrics need beyond the scheduler's own queries (implemented over JDBC in
 * {@code store}), plus the one write that belongs with it: a job's timelapse, accepted only with the current lease.
 */
public interface Showcase {

    /** Finished PUBLIC jobs, newest first. */
    java.util.List<Job> gallery(int offset, int limit);

    int galleryCount();

    /** Empty when there is no such job. */
    Optional<Visibility> visibility(long jobId);

    /** The ids of QUEUED or RUNNING jobs that are PUBLIC (the queue page shows the others without their prompt). */
    Set<Long> openPublicJobs();

    /** Stores (replacing) the job's timelapse; false when the lease is no longer current. */
    boolean storeTimelapse(Lease lease, TimelapseVideo video);

    Optional<TimelapseVideo> timelapse(long jobId);

    /** Jobs per state, every state present (0 when none). */
    Map<JobState, Integer> jobsByState();

    /** When any worker was last seen alive, or empty when none is registered. */
    Optional<Instant> lastWorkerSeen();

    /**
     * Final jobs whose delivery no adapter confirmed within {@code grace} of finishing, per platform (the user's
     * platform): what an adapter failed to deliver.
     */
    Map<String, Integer> overdueDeliveries(Duration grace);

    /** The database connection pool's standing. */
    PoolStats pool();

    /** Runs a trivial query; throws a RuntimeException that says why when the database is unreachable. */
    void ping();

    /** @param waiting threads waiting for a connection */
    record PoolStats(int active, int idle, int total, int waiting) {
    }
}
