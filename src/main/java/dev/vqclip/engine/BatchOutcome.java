package dev.vqclip.engine;

/** How one item of a batched render ended, in the order of the items. */
public sealed interface BatchOutcome {

    /** All iterations ran. */
    record Rendered(RenderResult result) implements BatchOutcome { }

    /** Its token was cancelled; it stopped before 0-based step {@code iteration}. */
    record Cancelled(int iteration) implements BatchOutcome { }

    /** It could not be rendered; {@code error}'s message is the user-facing reason. */
    record Failed(RenderException error) implements BatchOutcome { }
}
