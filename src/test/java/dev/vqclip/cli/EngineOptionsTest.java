package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The memory-plan flags as {@code imagine} parses them. */
class EngineOptionsTest {
    private static ImagineCommand parse(String... args) {
        CommandLine cl = Main.commandLine();
        String[] full = new String[args.length + 1];
        full[0] = "imagine";
        System.arraycopy(args, 0, full, 1, args.length);
        return (ImagineCommand) cl.parseArgs(full).subcommand().commandSpec().userObject();
    }

    @Test
    void withoutTheFlagTheDecoderRecomputesItsNormsAndSwishes() {
        assertEquals(MemoryPlan.DEFAULT, parse("fog").engine.memoryPlan());
        assertEquals(DecoderCheckpoint.NORMS, MemoryPlan.DEFAULT.checkpointDecoder());
        assertEquals(DecoderCheckpoint.NORMS, parse("fog", "--checkpoint-decoder", "norms").engine.memoryPlan().checkpointDecoder());
    }

    @Test
    void theFlagAloneCheckpointsEveryStageAndLeavesTheNextArgumentAlone() {
        ImagineCommand c = parse("--checkpoint-decoder", "fog");
        assertEquals(DecoderCheckpoint.ALL, c.engine.memoryPlan().checkpointDecoder());
        assertEquals("fog", c.prompt);
        assertEquals(DecoderCheckpoint.ALL, parse("fog", "--checkpoint-decoder").engine.memoryPlan().checkpointDecoder());
    }

    @Test
    void aNamedChoiceIsTakenSeparateOrAttached() {
        assertEquals(DecoderCheckpoint.NORMS,
                parse("fog", "--checkpoint-decoder", "norms").engine.memoryPlan().checkpointDecoder());
        assertEquals(DecoderCheckpoint.NONE, parse("fog", "--checkpoint-decoder=none").engine.memoryPlan().checkpointDecoder());
        assertEquals(3, parse("fog", "--checkpoint-decoder", "all", "--clip-batch", "3").engine.memoryPlan().clipBatch());
    }

    @Test
    void anUnknownAttachedChoiceIsRefusedByNameNotTakenForThePrompt() {
        ParameterException e = assertThrows(ParameterException.class, () -> parse("--checkpoint-decoder=bogus", "fog"));
        assertTrue(e.getMessage().contains("--checkpoint-decoder: decoder checkpointing must be one of none, norms, all, got 'bogus'"),
                e.getMessage());
        assertThrows(ParameterException.class, () -> parse("--checkpoint-decoder=bogus"));
        assertEquals(DecoderCheckpoint.ALL, parse("--checkpoint-decoder", "bogus").engine.memoryPlan().checkpointDecoder(),
                "a separate word after the bare flag is the prompt");
    }

    @Test
    void anUnknownChoiceIsNotTakenForOne() {
        ParameterException e = assertThrows(ParameterException.class, () -> parse("fog", "--checkpoint-decoder=most"));
        assertTrue(e.getMessage().contains("most"), e.getMessage());
    }
}
