package dev.vqclip.engine.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns a {@link TensorRef} (a strided view of a storage) into a dense row-major {@link HostTensor}, the way
 * {@code torch.Tensor.contiguous()} would: a contiguous view is sliced without copying, any other layout (a
 * transposed or expanded tensor, a view into a shared storage) is gathered element by element.
 */
final class TensorLayout {
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    /** How much more than its storage a gathered view may be: real expanded tensors are small buffers. */
    static final long MAX_EXPANSION_BYTES = 16L << 20;

    private TensorLayout() {
    }

    /**
     * @param storage all bytes of the storage {@code ref} points into, {@code ref.storage().numel()} elements
     * @param name    the tensor's name, for error messages
     */
    static HostTensor materialize(TensorRef ref, ByteBuffer storage, String name) {
        DType dtype = ref.storage().dtype();
        int es = dtype.bytes();
        long[] size = ref.size();
        long[] stride = ref.stride();
        long numel = 1;
        long lastElement = ref.offset(); // highest element index the view touches
        try {
            for (int d = 0; d < size.length; d++) {
                numel = Math.multiplyExact(numel, size[d]);
                if (size[d] > 0) {
                    lastElement = Math.addExact(lastElement, Math.multiplyExact(size[d] - 1, stride[d]));
                }
            }
            if (Math.multiplyExact(numel, es) > MAX_BYTES) {
                throw new WeightsException("tensor '" + name + "' of shape " + Arrays.toString(size) + " has "
                        + numel * es + " bytes; the limit is " + MAX_BYTES + " bytes (2 GiB) per tensor");
            }
        } catch (ArithmeticException e) {
            throw new WeightsException("tensor '" + name + "' has an impossible shape " + Arrays.toString(size)
                    + " with strides " + Arrays.toString(stride));
        }
        if (numel == 0) {
            return new HostTensor(dtype, size, ByteBuffer.allocate(0));
        }
        if (lastElement >= ref.storage().numel()) {
            throw new WeightsException("tensor '" + name + "' (shape " + Arrays.toString(size) + ", strides "
                    + Arrays.toString(stride) + ", offset " + ref.offset() + ") reaches element " + lastElement
                    + " of a storage of " + ref.storage().numel() + " elements");
        }
        if ((lastElement + 1) * es > storage.remaining()) {
            throw new WeightsException("tensor '" + name + "' reaches byte " + (lastElement + 1) * es
                    + " but its storage holds only " + storage.remaining() + " bytes");
        }
        ByteBuffer src = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (isContiguous(size, stride)) {
            src.position((int) (ref.offset() * es)).limit((int) ((ref.offset() + numel) * es));
            return new HostTensor(dtype, size, src.slice());
        }
        if (numel * es > storage.remaining() + MAX_EXPANSION_BYTES) {
            throw new WeightsException("tensor '" + name + "' (shape " + Arrays.toString(size) + ", strides "
                    + Arrays.toString(stride) + ") would expand a storage of " + storage.remaining() + " bytes to "
                    + numel * es + " bytes; the limit is the storage's size + " + MAX_EXPANSION_BYTES + " bytes");
        }
        return new HostTensor(dtype, size, gather(src, ref.offset(), size, stride, es, (int) numel));
    }

    /** Row-major contiguity; a dimension of size 1 may carry any stride, as in torch. */
    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    private static ByteBuffer gather(ByteBuffer src, long offset, long[] size, long[] stride, int es, int numel) {
        byte[] out = new byte[numel * es];
        byte[] element = new byte[es];
        long[] index = new long[size.length];
        for (int i = 0; i < numel; i++) {
            long at = offset;
            for (int d = 0; d < size.length; d++) {
                at += index[d] * stride[d];
            }
            src.get((int) (at * es), element);
            System.arraycopy(element, 0, out, i * es, es);
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0; // odometer carry
            }
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }
}
