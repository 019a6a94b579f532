package dev.vqclip.engine.weights;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can state exactly which stream the unpickler gets. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto2() {
        PickleBytes p = new PickleBytes();
        p.op(0x80).op(2);
        return p;
    }

    PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        int32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT1 / BININT2 / BININT as torch's pickler picks them. */
    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').op((int) (v & 0xff)).op((int) (v >> 8));
        }
        op('J');
        return int32((int) v);
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes setitems() {
        return op('u');
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes put(int i) {
        return op('q').op(i);
    }

    PickleBytes get(int i) {
        return op('h').op(i);
    }

    PickleBytes stop() {
        return op('.');
    }

    /** {@code ('storage', torch.<type>, key, 'cpu', numel)} then BINPERSID. */
    PickleBytes storage(String storageType, String key, long numel) {
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple();
        return op('Q');
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}. */
    PickleBytes tensor(String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(storageType, key, numel).integer(offset);
        mark();
        for (long s : size) {
            integer(s);
        }
        tuple().mark();
        for (long s : stride) {
            integer(s);
        }
        tuple().op(0x89).global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    PickleBytes int32(int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i) & 0xff);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
