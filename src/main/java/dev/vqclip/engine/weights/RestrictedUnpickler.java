package dev.vqclip.engine.weights;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for the files {@code torch.save} and {@code torch.jit.save} write, that never executes anything.
 *
 * <p>Python's unpickler calls whatever global a pickle names. This one only parses: it turns the opcode stream into
 * plain Java data ({@link Long}, {@link Double}, {@link String}, {@code byte[]}, {@link Boolean}, null,
 * {@link PickleTuple}, {@link ArrayList} for lists and sets, {@link LinkedHashMap} for dicts), {@link PickleGlobal} for
 * a named global, and the torch records {@link StorageRef} / {@link TensorRef}. The rules:
 * <ul>
 *   <li>{@code REDUCE} (a call) is accepted only for an allow-list of container and tensor-rebuild functions, whose
 *       effect is reproduced as data, and for a few value classes that become inert {@link PickleObject}s. Any other
 *       global, e.g. {@code posix.system}, {@code builtins.eval} or {@code subprocess.Popen}, is refused with a
 *       {@link WeightsException} naming it; tensors are only recorded, never read, while the pickle is parsed, so the
 *       refusal comes before any work.</li>
 *   <li>{@code NEWOBJ}/{@code BUILD} of any class (TorchScript {@code __torch__.*} modules, OmegaConf nodes, ...)
 *       gives an inert {@link PickleObject}: no class is imported, no {@code __new__} or {@code __setstate__} runs.</li>
 *   <li>A persistent id must be a torch storage tuple; it becomes a {@link StorageRef}.</li>
 *   <li>Every length is checked against the remaining input, so a corrupt or hostile pickle can only fail with a
 *       {@link WeightsException}, never allocate more than about its own size.</li>
 * </ul>
 * Opcode semantics follow CPython's {@code Lib/pickle.py} and {@code Lib/pickletools.py} (protocols 2 to 5; the
 * text-mode opcodes of protocols 0/1 are not needed by torch and are refused as unsupported).
 */
final class RestrictedUnpickler {

    /** Callables whose result is reproduced as data. */
    private static final Set<String> CONTAINER_CALLS = Set.of(
            "collections.OrderedDict", "collections.defaultdict", "builtins.set", "builtins.frozenset",
            "torch.Size", "_codecs.encode");

    private static final Set<String> TENSOR_CALLS = Set.of(
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");

    /**
     * Value classes that real checkpoints reduce in their non-weight parts (numpy scalars in logged metrics, paths
     * and devices in saved arguments). Their call is recorded as an inert object; none of them is ever invoked.
     */
    private static final Set<String> INERT_CALLS = Set.of(
            "pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath",
            "pathlib.PureWindowsPath", "numpy.dtype", "numpy.core.multiarray.scalar",
            "numpy._core.multiarray.scalar", "numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct", "torch.device", "copyreg._reconstructor");

    private static final Map<String, DType> STORAGE_TYPES = Map.ofEntries(
            Map.entry("FloatStorage", DType.F32), Map.entry("HalfStorage", DType.F16),
            Map.entry("BFloat16Storage", DType.BF16), Map.entry("DoubleStorage", DType.F64),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));

    private static final int MAX_GLOBAL_NAME = 1024;
    /**
     * Bounds on what a pickle may make this parser hold, far above real checkpoints (a few levels of nesting, one
     * memo entry per object, ~10^5 objects for a training checkpoint with optimizer state): a small hostile pickle
     * cannot make it allocate much more than the file.
     */
    static final int MAX_STACK = 100_000;
    static final int MAX_MARKS = 10_000;
    static final int MAX_MEMO = 1_000_000;

    private final byte[] in;
    private final String source;
    private int pos;
    private int opStart;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Parses one pickle and returns its top object.
     *
     * @param source the file name, used in every error message
     */
    static Object load(byte[] pickle, String source) {
        return new RestrictedUnpickler(pickle, source).run();
    }

    private Object run() {
        while (true) {
            opStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw fail("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> take(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " objects on the stack and " + marks.size()
                                + " open marks");
                    }
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    if (marks.size() >= MAX_MARKS) {
                        throw fail("more than " + MAX_MARKS + " nested MARKs (limit)");
                    }
                    marks.add(stack.size());
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'c' -> push(new PickleGlobal(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    String name = pop(String.class, "STACK_GLOBAL name");
                    String module = pop(String.class, "STACK_GLOBAL module");
                    push(new PickleGlobal(module, name));
                }
                case 'q' -> memoPut(u8()); // BINPUT
                case 'r' -> memoPut(u32()); // LONG_BINPUT
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32())); // LONG_BINGET
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']', 0x8f -> push(new ArrayList<>()); // EMPTY_LIST, EMPTY_SET
                case ')' -> push(PickleTuple.EMPTY); // EMPTY_TUPLE
                case 't' -> push(new PickleTuple(popMark())); // TUPLE
                case 0x85 -> push(new PickleTuple(popN(1))); // TUPLE1
                case 0x86 -> push(new PickleTuple(popN(2))); // TUPLE2
                case 0x87 -> push(new PickleTuple(popN(3))); // TUPLE3
                case 'l', 0x91 -> push(popMark()); // LIST, FROZENSET
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putPairs(dict, items);
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    put(peekDict(), key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(peekDict(), items);
                }
                case 'a' -> { // APPEND
                    Object value = pop();
                    peekList().add(value);
                }
                case 'e', 0x90 -> { // APPENDS, ADDITEMS
                    List<Object> items = popMark();
                    peekList().addAll(items);
                }
                case 'J' -> push((long) i32()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) u16()); // BININT2
                case 0x8a -> push(longFrom(take(u8()))); // LONG1
                case 0x8b -> push(longFrom(take(length(i32())))); // LONG4
                case 'G' -> push(Double.longBitsToDouble(bigEndianLong())); // BINFLOAT
                case 'X' -> push(utf8(take(length(u32())))); // BINUNICODE
                case 0x8c -> push(utf8(take(u8()))); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(take(length(u64())))); // BINUNICODE8
                case 'B' -> push(take(length(u32()))); // BINBYTES
                case 'C' -> push(take(u8())); // SHORT_BINBYTES
                case 0x8e, 0x96 -> push(take(length(u64()))); // BINBYTES8, BYTEARRAY8
                // Python 2 str (protocol <= 2 writers): bytes, read as latin-1 text like Python 3's encoding='latin1'
                case 'T' -> push(new String(take(length(i32())), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'U' -> push(new String(take(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'R' -> { // REDUCE
                    PickleTuple args = pop(PickleTuple.class, "REDUCE arguments");
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args), recorded only
                    PickleTuple args = pop(PickleTuple.class, "NEWOBJ arguments");
                    push(new PickleObject(pop(PickleGlobal.class, "NEWOBJ class"), args.items()));
                }
                case 0x92 -> { // NEWOBJ_EX
                    pop(Map.class, "NEWOBJ_EX keyword arguments");
                    PickleTuple args = pop(PickleTuple.class, "NEWOBJ_EX arguments");
                    push(new PickleObject(pop(PickleGlobal.class, "NEWOBJ_EX class"), args.items()));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    // Only inert objects keep their state. A BUILD on a container sets Python attributes (e.g.
                    // the _metadata of a Module.state_dict()), which no weight loader needs.
                    if (peek() instanceof PickleObject obj) {
                        obj.build(state);
                    }
                }
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                default -> throw fail(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    private Object reduce(Object callable, PickleTuple args) {
        if (!(callable instanceof PickleGlobal global)) {
            throw fail("REDUCE on " + describe(callable) + ", which is not a global");
        }
        String name = global.qualifiedName();
        if (TENSOR_CALLS.contains(name)) {
            return rebuildTensor(name, args);
        }
        if (CONTAINER_CALLS.contains(name)) {
            return container(name, args);
        }
        if (INERT_CALLS.contains(name)) {
            return new PickleObject(global, args.items());
        }
        throw new WeightsException("refusing to load " + source + ": pickle global '" + name
                + "' is not allowed (only tensor-rebuild and container globals may be called; offset " + opStart + ")");
    }

    private Object container(String name, PickleTuple args) {
        switch (name) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                if (args.size() == 1 && args.get(0) instanceof List<?> pairs) { // OrderedDict([(k, v), ...])
                    for (Object pair : pairs) {
                        List<Object> kv = pair instanceof PickleTuple t ? t.items() : null;
                        if (kv == null || kv.size() != 2) {
                            throw fail("OrderedDict item " + describe(pair) + " is not a (key, value) pair");
                        }
                        put(dict, kv.get(0), kv.get(1));
                    }
                } else if (args.size() != 0) {
                    throw fail("OrderedDict called with " + args.size() + " arguments");
                }
                return dict;
            }
            case "collections.defaultdict" -> { // defaultdict(factory): the factory only matters for missing keys
                if (args.size() > 1) {
                    throw fail("defaultdict called with " + args.size() + " arguments");
                }
                return new LinkedHashMap<>();
            }
            case "builtins.set", "builtins.frozenset" -> {
                if (args.size() == 0) {
                    return new ArrayList<>();
                }
                return new ArrayList<>(arg(args, 0, List.class, name));
            }
            case "torch.Size" -> {
                PickleTuple dims = arg(args, 0, PickleTuple.class, name);
                ints(dims, "torch.Size");
                return dims;
            }
            case "_codecs.encode" -> { // how protocol 2 pickles Python 3 bytes: encode(text, 'latin1')
                String text = arg(args, 0, String.class, name);
                String encoding = arg(args, 1, String.class, name);
                if (!encoding.equals("latin1") && !encoding.equals("latin-1")) {
                    throw fail("_codecs.encode with encoding '" + encoding + "' (only latin1 is accepted)");
                }
                return text.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> throw new IllegalStateException("container call without a rule: " + name);
        }
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]) and its relatives. */
    private Object rebuildTensor(String name, PickleTuple args) {
        if (name.startsWith("torch._utils._rebuild_parameter")) { // (data, requires_grad, hooks[, state])
            return arg(args, 0, TensorRef.class, name);
        }
        StorageRef storage = arg(args, 0, StorageRef.class, name);
        long offset = arg(args, 1, Long.class, name);
        long[] size = ints(arg(args, 2, PickleTuple.class, name), "tensor size");
        long[] stride = ints(arg(args, 3, PickleTuple.class, name), "tensor stride");
        if (size.length != stride.length) {
            throw fail("tensor size has " + size.length + " dimensions but stride has " + stride.length);
        }
        if (offset < 0) {
            throw fail("negative storage offset " + offset);
        }
        return new TensorRef(storage, offset, size, stride);
    }

    /** Persistent id ('storage', torch.XStorage, key, location, numel), as torch.serialization writes it. */
    private Object persistentLoad(Object pid) {
        if (!(pid instanceof PickleTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw fail("unsupported persistent id " + describe(pid) + " (expected a torch storage tuple)");
        }
        if (!(t.get(1) instanceof PickleGlobal type) || !type.module().equals("torch")) {
            throw fail("persistent id names storage type " + describe(t.get(1)) + ", not a torch storage class");
        }
        DType dtype = STORAGE_TYPES.get(type.name());
        if (dtype == null) {
            throw new WeightsException(source + ": unsupported storage type torch." + type.name()
                    + " (supported: " + STORAGE_TYPES.keySet() + ")");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw fail("malformed storage persistent id: key " + describe(t.get(2)) + ", numel " + describe(t.get(4)));
        }
        return new StorageRef(dtype, key, numel);
    }

    // ---- stack and memo ----------------------------------------------------------------------------------------

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw fail("more than " + MAX_STACK + " objects on the pickle stack (limit)");
        }
        stack.add(o);
    }

    private void memoPut(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw fail("more than " + MAX_MEMO + " memo entries (limit)");
        }
        memo.put(index, peek());
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private <T> T pop(Class<T> type, String what) {
        Object o = pop();
        if (!type.isInstance(o)) {
            throw fail(what + " is " + describe(o) + ", expected " + type.getSimpleName());
        }
        return type.cast(o);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(0, pop());
        }
        return items;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail("no MARK to pop to");
        }
        int mark = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> peekDict() {
        Object o = peek();
        if (o instanceof PickleObject obj) {
            return obj.dictItems();
        }
        if (!(o instanceof Map)) {
            throw fail("SETITEM(S) on " + describe(o) + ", which is not a dict");
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> peekList() {
        Object o = peek();
        if (o instanceof PickleObject obj) {
            return obj.listItems();
        }
        if (!(o instanceof List)) {
            throw fail("APPEND(S) on " + describe(o) + ", which is not a list");
        }
        return (List<Object>) o;
    }

    private void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw fail("odd number of items (" + items.size() + ") for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            put(dict, items.get(i), items.get(i + 1));
        }
    }

    /**
     * Like Python, only hashable keys: mutable containers would be unhashable there, and hashing them here could
     * recurse forever through a cycle.
     */
    private void put(Map<Object, Object> dict, Object key, Object value) {
        if (key instanceof List || key instanceof Map || key instanceof byte[]) {
            throw fail("unhashable dict key " + describe(key));
        }
        dict.put(key, value);
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw fail("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    // ---- argument checks ---------------------------------------------------------------------------------------

    private <T> T arg(PickleTuple args, int i, Class<T> type, String call) {
        if (i >= args.size() || !type.isInstance(args.get(i))) {
            throw fail(call + " argument " + i + " is " + (i >= args.size() ? "missing" : describe(args.get(i)))
                    + ", expected " + type.getSimpleName());
        }
        return type.cast(args.get(i));
    }

    private long[] ints(PickleTuple t, String what) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v) || v < 0) {
                throw fail(what + " element " + i + " is " + describe(t.get(i)) + ", expected a non-negative integer");
            }
            out[i] = v;
        }
        return out;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof String s) {
            return "'" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "'";
        }
        if (o instanceof Long || o instanceof Double || o instanceof Boolean || o instanceof PickleGlobal
                || o instanceof PickleObject || o instanceof PickleTuple) {
            return o.toString();
        }
        if (o instanceof Map) {
            return "a dict";
        }
        if (o instanceof List) {
            return "a list";
        }
        return "a " + o.getClass().getSimpleName();
    }

    // ---- input -------------------------------------------------------------------------------------------------

    private WeightsException fail(String message) {
        return new WeightsException(source + ": malformed pickle at offset " + opStart + ": " + message);
    }

    private byte[] take(long n) {
        if (n < 0 || n > in.length - pos) {
            throw fail("needs " + n + " more bytes but only " + (in.length - pos) + " remain (truncated pickle?)");
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(in, pos, out, 0, (int) n);
        pos += (int) n;
        return out;
    }

    private int u8() {
        if (pos >= in.length) {
            throw fail("unexpected end of pickle (no STOP)");
        }
        return in[pos++] & 0xff;
    }

    private int u16() {
        byte[] b = take(2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    private int i32() {
        byte[] b = take(4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    private long u32() {
        return i32() & 0xffffffffL;
    }

    private long u64() {
        byte[] b = take(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v; // a negative value (>= 2^63) fails the length check in take()
    }

    private long bigEndianLong() {
        byte[] b = take(8);
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xff);
        }
        return v;
    }

    private long length(long n) {
        if (n < 0) {
            throw fail("negative length " + n);
        }
        return n;
    }

    /** Little-endian two's complement, as LONG1/LONG4 store Python ints; a Long when it fits. */
    private static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A newline-terminated ASCII line (GLOBAL's module and name). */
    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - start > MAX_GLOBAL_NAME) {
                throw fail("GLOBAL name longer than " + MAX_GLOBAL_NAME + " bytes");
            }
            pos++;
        }
        if (pos >= in.length) {
            throw fail("unterminated GLOBAL name");
        }
        String s = new String(in, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return s;
    }
}
