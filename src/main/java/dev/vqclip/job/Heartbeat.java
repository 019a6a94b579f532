package dev.vqclip.job;

/** The store's answer to a worker's heartbeat. */
public enum Heartbeat {
    /** The lease was renewed; keep going. */
    ALIVE,
    /** The lease was renewed, and someone asked to cancel: stop at the next step. */
    CANCEL_REQUESTED,
    /** The lease is gone (expired and re-queued, or re-claimed): stop and discard the work. */
    LOST
}
