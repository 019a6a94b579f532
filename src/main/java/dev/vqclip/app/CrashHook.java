package dev.vqclip.app;

import dev.vqclip.engine.BatchItem;
import dev.vqclip.engine.BatchOutcome;
import dev.vqclip.engine.CancellationToken;
import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.RenderResult;
import dev.vqclip.engine.Renderer;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import java.util.List;

/**
 * Test hook for crash tests: with {@code -Dvqclip.test.halt-on-prompt=WORD}, a render whose prompt contains WORD
 * ends the JVM at once (as a native crash or an out-of-memory kill would). Without the property the renderer is
 * returned unchanged.
 */
public final class CrashHook implements Renderer {
    public static final String PROPERTY = "vqclip.test.halt-on-prompt";
    /** The exit status of a process killed by SIGKILL. */
    public static final int STATUS = 137;

    private final Renderer inner;
    private final String word;

    private CrashHook(Renderer inner, String word) {
        this.inner = inner;
        this.word = word;
    }

    static Renderer wrap(Renderer renderer) {
        String word = System.getProperty(PROPERTY);
        return word == null || word.isBlank() ? renderer : new CrashHook(renderer, word);
    }

    private void haltIfPoisoned(Recipe recipe) {
        if (PromptFormat.format(recipe.prompts()).contains(word)) {
            System.err.println("crash hook: halting on a prompt with '" + word + "'");
            Runtime.getRuntime().halt(STATUS);
        }
    }

    @Override
    public RenderResult render(Recipe recipe, RenderListener listener, CancellationToken cancel) {
        haltIfPoisoned(recipe);
        return inner.render(recipe, listener, cancel);
    }

    @Override
    public List<BatchOutcome> renderBatch(List<BatchItem> items) {
        items.forEach(i -> haltIfPoisoned(i.recipe()));
        return inner.renderBatch(items);
    }

    @Override
    public void close() {
        inner.close();
    }
}
