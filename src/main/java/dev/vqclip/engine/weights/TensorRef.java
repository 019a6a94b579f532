package dev.vqclip.engine.weights;

import java.util.Arrays;

/**
 * What {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} would build, recorded instead of
 * built: a view of {@code size} elements of {@code storage} starting at element {@code offset}, with element strides.
 * Unpickling only records these; {@link TensorLayout} copies the bytes after the whole pickle was accepted.
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {

    TensorRef {
        size = size.clone();
        stride = stride.clone();
    }

    @Override
    public long[] size() {
        return size.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    @Override
    public String toString() {
        return "tensor(" + storage.dtype() + " " + Arrays.toString(size) + ", storage '" + storage.key() + "')";
    }
}
