package dev.vqclip.job;

/**
 * The persistent job store, in its parts (implemented over JDBC in {@code store}). A consumer that needs one part
 * takes that part; the store object owns the connection-level resources of all of them and closes them together.
 */
public interface JobStore extends AutoCloseable {

    JobQueue queue();

    Leases leases();

    JobReads reads();

    Deliveries deliveries();

    Accounts accounts();

    WorkerRegistry workers();

    Settings settings();

    Pruning pruning();

    Changes changes();

    @Override
    void close();
}
