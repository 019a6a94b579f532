package dev.vqclip.app;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A stack of what a start sequence has opened so far. Closing it closes the newest first, each exactly once, and
 * goes on past a step whose close throws, so a failure in the fourth start step still closes the third, second and
 * first; the first close failure is rethrown with the later ones suppressed.
 */
final class Closer implements AutoCloseable {
    /** One opened step: its name (for messages) and how to undo it. */
    private record Step(String name, AutoCloseable close) {
    }

    private final Deque<Step> opened = new ArrayDeque<>();

    /** A start sequence that pushes each step it opens onto the closer it is given. */
    @FunctionalInterface
    interface Start<T> {
        T using(Closer closer) throws Exception;
    }

    /**
     * Runs {@code start} on a fresh closer. If it throws, what it opened so far is closed, newest first, and the
     * failure is rethrown with any close failure suppressed on it; if it returns, its result owns the closer.
     */
    static <T> T start(Start<T> start) throws Exception {
        Closer closer = new Closer();
        try {
            return start.using(closer);
        } catch (Exception | Error e) {
            try {
                closer.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Remembers {@code close} as the undo of the step just done, and returns {@code resource} for chaining. */
    synchronized <T> T push(String name, T resource, AutoCloseable close) {
        opened.push(new Step(name, close));
        return resource;
    }

    /** Remembers a resource that closes itself. */
    <T extends AutoCloseable> T push(String name, T resource) {
        return push(name, resource, resource);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (true) {
            Step step;
            synchronized (this) {
                step = opened.poll();
            }
            if (step == null) {
                break;
            }
            try {
                step.close().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Exception named = new IllegalStateException("closing " + step.name() + " failed: " + e.getMessage(), e);
                if (first == null) {
                    first = named;
                } else {
                    first.addSuppressed(named);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
