package dev.vqclip.bench.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.FixtureDir;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

final class FixtureVerifierTest {

    @Test
    void modelVerificationRunsEveryModelCheckAndTheyAllPass() {
        List<FixtureCheck> checks = FixtureVerifier.verifyModels(FixtureDir.get());
        assertEquals(11, checks.size());
        assertTrue(checks.stream().allMatch(FixtureCheck::pass), checks.toString());
    }

    @Test
    void extraGroupsRunAfterTheModelGroups() {
        FixtureCheckGroup extra = new FixtureCheckGroup() {
            @Override
            public String name() {
                return "extra";
            }

            @Override
            public List<FixtureCheck> run(Path dir) {
                return List.of(FixtureCheck.of("extra/x", 2e-3, 1e-3));
            }
        };
        FixtureVerifier v = new FixtureVerifier(List.of(extra)).with(extra);
        List<FixtureCheck> checks = v.verify(FixtureDir.get());
        assertEquals(2, checks.size());
        assertFalse(checks.get(0).pass());
        assertEquals("CHECK extra/x max_abs_err=2.000e-03 tol=1.0e-03 FAIL", checks.get(0).line());
    }

    @Test
    void aMissingFixturesFolderIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FixtureVerifier.verifyModels(Path.of("/nonexistent/fixtures")));
        assertTrue(e.getMessage().contains("/nonexistent/fixtures"), e.getMessage());
    }

    @Test
    void nanNeverPasses() {
        assertFalse(FixtureCheck.of("x", Double.NaN, 1).pass());
    }
}
