package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The closer stack that {@link Server} and {@link WorkerProcess} start with. */
class CloserTest {
    private final List<String> closed = new ArrayList<>();

    /** A start step that records when it is undone. */
    private AutoCloseable step(String name) {
        return () -> closed.add(name);
    }

    /** The closer the last {@link Closer#start} handed its sequence. */
    private Closer started;

    /** Starts four steps through {@link Closer#start}, the fourth of which throws, as the server's start does. */
    private void startFourStepsTheLastFailing() throws Exception {
        Closer.start(closer -> {
            started = closer;
            closer.push("database", step("database"));
            closer.push("renderer", step("renderer"));
            closer.push("Discord bot", step("Discord bot"));
            throw new IllegalStateException("web port 8080 is taken");
        });
    }

    @Test
    void aFailingFourthStepClosesTheThirdSecondAndFirstInThatOrder() {
        assertThatThrownBy(this::startFourStepsTheLastFailing).hasMessage("web port 8080 is taken");
        assertThat(closed).containsExactly("Discord bot", "renderer", "database");
    }

    @Test
    void everyStepIsClosedExactlyOnceEvenWhenClosedAgain() throws Exception {
        assertThatThrownBy(this::startFourStepsTheLastFailing).isInstanceOf(IllegalStateException.class);
        started.close(); // the shutdown path after a failed start: nothing is closed twice
        assertThat(closed).containsExactly("Discord bot", "renderer", "database");
    }

    @Test
    void aStepWhoseCloseThrowsDoesNotKeepTheOlderStepsOpen() {
        Closer closer = new Closer();
        closer.push("database", step("database"));
        closer.push("renderer", () -> {
            throw new IllegalStateException("native free failed");
        });
        closer.push("web server", step("web server"));
        closer.push("X adapter", () -> {
            throw new IllegalStateException("socket already closed");
        });
        assertThatThrownBy(closer::close)
                .hasMessage("closing X adapter failed: socket already closed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("closing renderer failed: native free failed"));
        assertThat(closed).containsExactly("web server", "database");
    }

    @Test
    void pushReturnsTheResourceSoAStartStepReadsAsOneLine() {
        Closer closer = new Closer();
        AutoCloseable resource = step("r");
        assertThat(closer.push("r", resource)).isSameAs(resource);
        assertThat(closer.push("s", "value", step("s"))).isEqualTo("value");
    }

    @Test
    void aStartThatThrowsClosesWhatItOpenedNewestFirstAndKeepsCloseFailuresOnTheError() {
        assertThatThrownBy(() -> Closer.start(closer -> {
            closer.push("database", step("database"));
            closer.push("renderer", () -> {
                throw new IllegalStateException("native free failed");
            });
            closer.push("Discord bot", step("Discord bot"));
            throw new IllegalStateException("web port 8080 is taken");
        })).hasMessage("web port 8080 is taken")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("closing renderer failed: native free failed"));
        assertThat(closed).containsExactly("Discord bot", "database");
    }

    @Test
    void aStartThatFailsWithAnErrorStillClosesWhatItOpened() {
        assertThatThrownBy(() -> Closer.start(closer -> {
            closer.push("database", step("database"));
            throw new LinkageError("libtorch could not be loaded");
        })).isInstanceOf(LinkageError.class);
        assertThat(closed).containsExactly("database");
    }

    @Test
    void aStartThatReturnsLeavesItsStepsOpenForWhatItBuilt() throws Exception {
        Closer owner = Closer.start(closer -> {
            closer.push("database", step("database"));
            return closer;
        });
        assertThat(closed).isEmpty();
        owner.close();
        assertThat(closed).containsExactly("database");
    }
}
