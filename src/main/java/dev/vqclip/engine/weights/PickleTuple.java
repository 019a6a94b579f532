package dev.vqclip.engine.weights;

import java.util.Collections;
import java.util.List;

/**
 * A Python tuple: an immutable list, kept distinct from a list so that the tensor-rebuild calls can check that they
 * got tuples where torch writes tuples. Equality is identity so that hashing one (as a dict key) can never recurse
 * through a cyclic structure that a malicious pickle built.
 */
final class PickleTuple {
    static final PickleTuple EMPTY = new PickleTuple(List.of());

    private final List<Object> items;

    PickleTuple(List<Object> items) {
        this.items = Collections.unmodifiableList(items);
    }

    List<Object> items() {
        return items;
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }

    @Override
    public String toString() {
        return "tuple(" + items.size() + ")";
    }
}
