package dev.vqclip.bench.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.weights.DType;
import dev.vqclip.engine.weights.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FixtureCheckTest {
    private static final HostTensor STORED = HostTensor.ofFloats(new float[] {1f, 2f, 3f}, 3);

    @Test
    void hostValuesAreJudgedByTheirLargestDifference() {
        FixtureCheck c = FixtureCheck.compare("x/loss", new double[] {1.0, 2.25, 2.5}, STORED, 0.5);
        assertEquals(0.5, c.maxAbsErr(), 0);
        assertTrue(c.pass());
        assertFalse(FixtureCheck.compare("x/loss", new double[] {1.0, 2.25, 2.5}, STORED, 0.4).pass());
    }

    @Test
    void aLengthMismatchFailsWithAnInfiniteError() {
        FixtureCheck c = FixtureCheck.compare("x/loss", new double[] {1.0, 2.0}, STORED, 1e9);
        assertEquals(Double.POSITIVE_INFINITY, c.maxAbsErr());
        assertFalse(c.pass());
    }

    @Test
    void aNaNAnywhereFails() {
        FixtureCheck c = FixtureCheck.compare("x/loss", new double[] {Double.NaN, 2.0, 3.0}, STORED, 1e9);
        assertTrue(Double.isNaN(c.maxAbsErr()));
        assertFalse(c.pass());
    }

    @Test
    void storedIntegersCompareExactlyBeyondFloatPrecision() {
        long big = (1L << 40) + 1;
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(big).putLong(7).flip();
        HostTensor indices = new HostTensor(DType.I64, new long[] {2}, data);
        assertTrue(FixtureCheck.compare("x/indices", new double[] {big, 7}, indices, 0).pass());
        assertEquals(1, FixtureCheck.compare("x/indices", new double[] {big - 1, 7}, indices, 0).maxAbsErr(), 0);
    }
}
