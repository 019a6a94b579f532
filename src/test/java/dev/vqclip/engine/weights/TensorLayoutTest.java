package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorLayoutTest {
    /** Storage of 12 floats 0, 1, ..., 11. */
    private static final StorageRef STORAGE = new StorageRef(DType.F32, "0", 12);

    private static ByteBuffer storageBytes() {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            b.putFloat(i);
        }
        return b.flip();
    }

    private static HostTensor view(long offset, long[] size, long[] stride) {
        return TensorLayout.materialize(new TensorRef(STORAGE, offset, size, stride), storageBytes(), "t");
    }

    @Test
    void contiguousViewWithOffset() {
        HostTensor t = view(4, new long[] {2, 3}, new long[] {3, 1});
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9}, t.toFloats());
    }

    @Test
    void transposedViewIsCopiedInRowMajorOrder() {
        // the transpose of [[0,1,2],[3,4,5]]: size (3,2), strides (1,3)
        HostTensor t = view(0, new long[] {3, 2}, new long[] {1, 3});
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toFloats());
    }

    @Test
    void expandedViewRepeatsElements() {
        HostTensor t = view(2, new long[] {2, 3}, new long[] {0, 1});
        assertArrayEquals(new float[] {2, 3, 4, 2, 3, 4}, t.toFloats());
    }

    @Test
    void zeroDimensionalTensorHoldsOneElement() {
        HostTensor t = view(11, new long[0], new long[0]);
        assertEquals(0, t.rank());
        assertArrayEquals(new float[] {11}, t.toFloats());
    }

    @Test
    void zeroSizeTensorNeedsNoStorage() {
        HostTensor t = TensorLayout.materialize(new TensorRef(new StorageRef(DType.F32, "0", 0), 0,
                new long[] {0, 4}, new long[] {4, 1}), ByteBuffer.allocate(0), "empty");
        assertEquals(0, t.numel());
        assertArrayEquals(new long[] {0, 4}, t.shape());
    }

    @Test
    void aViewBeyondItsStorageIsRefused() {
        WeightsException e = assertThrows(WeightsException.class, () -> view(8, new long[] {2, 3}, new long[] {3, 1}));
        assertTrue(e.getMessage().contains("reaches element 13 of a storage of 12 elements"), e.getMessage());
    }

    @Test
    void anOverflowingShapeIsRefused() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> view(0, new long[] {Long.MAX_VALUE, 4}, new long[] {0, 0}));
        assertTrue(e.getMessage().contains("impossible shape"), e.getMessage());
    }
}
