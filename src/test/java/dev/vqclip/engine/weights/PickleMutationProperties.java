package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Whatever bytes a corrupt or hostile file holds, reading it fails only with a WeightsException. */
class PickleMutationProperties {
    /** A small checkpoint-like pickle using most opcode kinds torch writes: tensors, memo, inert objects, tuples. */
    private static final byte[] VALID = PickleBytes.proto2().emptyDict().put(0).mark()
            .str("a").tensor("FloatStorage", "0", 12, 2, new long[] {2, 3}, new long[] {1, 2})
            .str("b").tensor("HalfStorage", "1", 4, 0, new long[0], new long[0])
            .str("hp").global("omegaconf.dictconfig", "DictConfig").put(1).emptyTuple().op(0x81).put(2)
            .emptyDict().mark().str("_parent").get(2).str("n").integer(70000).str("x").op(0x8a).op(1).op(0xfe)
            .setitems().op('b')
            .str("list").op(']').mark().integer(1).get(0).op(0x88).op('N').op('e')
            .setitems().stop().bytes();

    /** Storages big enough for every view the valid pickle makes, so a mutated one can reach the copying code. */
    private static final Map<String, ByteBuffer> STORAGES = Map.of(
            "0", ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN),
            "1", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN));

    @Property(tries = 300)
    void mutatedPicklesFailOnlyWithWeightsException(@ForAll("mutants") byte[] pickle) {
        String outcome;
        try {
            materializeAll(RestrictedUnpickler.load(pickle, "mutant.pkl"));
            outcome = "loaded";
        } catch (WeightsException expected) {
            outcome = "refused"; // the only allowed failure
        }
        Statistics.label("outcome").collect(outcome);
    }

    @Example
    void theUnmutatedPickleLoadsAndItsTensorsMaterialize() {
        Object root = RestrictedUnpickler.load(VALID, "valid.pkl");
        Map<?, ?> top = (Map<?, ?>) root;
        assertEquals(List.of("a", "b", "hp", "list"), List.copyOf(top.keySet()));
        assertEquals(2, materializeAll(root));
    }

    /** Walks the result as a loader would and builds every tensor it finds. */
    private static int materializeAll(Object root) {
        int tensors = 0;
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root == null ? "" : root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (!seen.add(o)) {
                continue;
            }
            if (o instanceof TensorRef ref) {
                ByteBuffer storage = STORAGES.getOrDefault(ref.storage().key(), ByteBuffer.allocate(0));
                TensorLayout.materialize(ref, storage, "t").toFloats();
                tensors++;
            } else if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    push(todo, k);
                    push(todo, v);
                });
            } else if (o instanceof List<?> l) {
                l.forEach(v -> push(todo, v));
            } else if (o instanceof PickleTuple t) {
                t.items().forEach(v -> push(todo, v));
            } else if (o instanceof PickleObject p) {
                push(todo, p.state());
                p.args().forEach(v -> push(todo, v));
            }
        }
        return tensors;
    }

    private static void push(Deque<Object> todo, Object o) {
        if (o != null) {
            todo.push(o);
        }
    }

    @Provide
    Arbitrary<byte[]> mutants() {
        // one to four edits (kind, relative position in 1/10000ths, byte value), applied one after another
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 255))
                .as((kind, where, value) -> new int[] {kind, where, value});
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> {
            byte[] b = VALID;
            for (int[] e : edits) {
                b = mutate(e[0], (int) ((long) e[1] * b.length / 10000), e[2], b);
            }
            return b;
        });
    }

    private static byte[] mutate(int kind, int pos, int value, byte[] in) {
        if (in.length == 0) {
            return in;
        }
        switch (kind) {
            case 0 -> { // overwrite one byte
                byte[] out = in.clone();
                out[pos] = (byte) value;
                return out;
            }
            case 1 -> { // insert one byte
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, pos);
                out[pos] = (byte) value;
                System.arraycopy(in, pos, out, pos + 1, in.length - pos);
                return out;
            }
            case 2 -> { // delete one byte
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, pos);
                System.arraycopy(in, pos + 1, out, pos, in.length - pos - 1);
                return out;
            }
            default -> { // truncate
                byte[] out = new byte[pos];
                System.arraycopy(in, 0, out, 0, pos);
                return out;
            }
        }
    }
}
