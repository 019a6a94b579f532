package dev.vqclip.cli;

import java.util.List;
import sun.misc.Signal;

/**
 * Runs a long-running command's orderly stop when SIGTERM or SIGINT arrives, before the JVM's shutdown begins.
 * A shutdown hook is too late for an H2 database opened with {@code AUTO_SERVER=TRUE} (serve's default): H2 then
 * closes the database from its own hook, which runs at the same time as ours, under a worker still handing back
 * its job. The JDK offers no other way to act on a signal before the hooks start.
 */
final class StopSignals {
    private StopSignals() {
    }

    /**
     * @param stop run once per signal on the JVM's signal thread; it must be safe to run more than once (the
     *             command's shutdown hook runs it too, for exits that come without a signal)
     */
    static void install(Runnable stop) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException unavailable) {
                // -Xrs, or the platform reserves it: the shutdown hook stops the command instead
            }
        }
    }
}
