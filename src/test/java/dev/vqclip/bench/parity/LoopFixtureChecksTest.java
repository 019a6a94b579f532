package dev.vqclip.bench.parity;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.testing.FixtureDir;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LoopFixtureChecksTest {

    @Test
    void theLoopMatchesTheReferenceStepOnBothFixtures() {
        List<FixtureCheck> checks = new LoopFixtureChecks().run(FixtureDir.get());
        checks.forEach(c -> System.out.println(c.line()));
        // 12 tensors per file
        assertEquals(24, checks.size());
        String failed = checks.stream().filter(c -> !c.pass()).map(FixtureCheck::line).collect(Collectors.joining("\n"));
        assertTrue(failed.isEmpty(), failed);
    }

    @Test
    void cutoutsOneAtATimeAndACheckpointedDecoderReachTheSameReferenceNumbers() {
        List<FixtureCheck> checks = new LoopFixtureChecks(new MemoryPlan(1, DecoderCheckpoint.ALL)).run(FixtureDir.get());
        assertEquals(24, checks.size());
        String failed = checks.stream().filter(c -> !c.pass()).map(FixtureCheck::line).collect(Collectors.joining("\n"));
        assertTrue(failed.isEmpty(), failed);
    }

    @Test
    void readsTheLoopSettingsFromTheFixtureFolder() {
        LoopSettings s = LoopSettings.read(FixtureDir.get());
        assertEquals(32, s.cutSize());
        assertEquals(6, s.cutn());
        assertArrayEquals(new int[] {36, 5, 2}, s.crops().get(2));
        assertEquals(-0.5, s.weights()[1]);
        assertEquals(Double.NEGATIVE_INFINITY, s.stops()[0]);
        assertEquals(0.1, s.adam().lr());
        assertEquals(3, s.stepsRecorded());
    }
}
