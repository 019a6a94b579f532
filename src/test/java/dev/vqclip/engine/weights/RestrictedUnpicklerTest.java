package dev.vqclip.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestrictedUnpicklerTest {

    private static Object load(PickleBytes p) {
        return RestrictedUnpickler.load(p.bytes(), "test.pkl");
    }

    @Test
    void plainValuesAndContainersBecomeJavaData() {
        PickleBytes p = PickleBytes.proto2().emptyDict().put(0).mark()
                .str("small").integer(7)
                .str("int2").integer(40000)
                .str("neg").integer(-5)
                .str("float").op('G').op(0x3f).op(0xf8).op(0).op(0).op(0).op(0).op(0).op(0) // 1.5 big-endian
                .str("none").op('N')
                .str("flags").op(0x88).op(0x89).op(0x86) // (True, False)
                .str("list").op(']').mark().integer(1).integer(2).op('e')
                .str("bytes").op('C').op(2).op(0xff).op(0x00)
                .str("short").op(0x8c).op(2).op('h').op('i')
                .setitems().stop();
        @SuppressWarnings("unchecked")
        Map<Object, Object> d = (Map<Object, Object>) load(p);
        assertEquals(7L, d.get("small"));
        assertEquals(40000L, d.get("int2"));
        assertEquals(-5L, d.get("neg"));
        assertEquals(1.5, d.get("float"));
        assertNull(d.get("none"));
        assertEquals(List.of(true, false), ((PickleTuple) d.get("flags")).items());
        assertEquals(List.of(1L, 2L), d.get("list"));
        assertArrayEquals(new byte[] {(byte) 0xff, 0}, (byte[]) d.get("bytes"));
        assertEquals("hi", d.get("short"));
        assertEquals(List.of("small", "int2", "neg", "float", "none", "flags", "list", "bytes", "short"),
                List.copyOf(d.keySet()), "dict order is kept");
    }

    @Test
    void long1HoldsTwosComplementLittleEndianIntegers() {
        assertEquals(-2L, load(PickleBytes.proto2().op(0x8a).op(1).op(0xfe).stop()));
        assertEquals(123456789012L, load(PickleBytes.proto2().op(0x8a).op(5)
                .op(0x14).op(0x1a).op(0x99).op(0xbe).op(0x1c).stop()));
        PickleBytes huge = PickleBytes.proto2().op(0x8a).op(9);
        for (int i = 0; i < 8; i++) {
            huge.op(0);
        }
        assertEquals(BigInteger.ONE.shiftLeft(64), load(huge.op(1).stop()));
    }

    @Test
    void memoReturnsTheSameObject() {
        Object t = load(PickleBytes.proto2().op(']').put(3).get(3).op(0x86).stop());
        List<Object> pair = ((PickleTuple) t).items();
        assertSame(pair.get(0), pair.get(1));
    }

    @Test
    void unknownClassesBecomeInertObjectsThatKeepTheirBuildState() {
        // DictConfig whose child node points back at it before its BUILD ran: a memo cycle, as in omegaconf pickles
        PickleBytes p = PickleBytes.proto2().global("omegaconf.dictconfig", "DictConfig").put(0).emptyTuple()
                .op(0x81).put(1) // NEWOBJ
                .emptyDict().mark().str("_parent").get(1).str("_content").emptyDict().setitems()
                .op('b').stop(); // BUILD
        PickleObject obj = assertInstanceOf(PickleObject.class, load(p));
        assertEquals("omegaconf.dictconfig.DictConfig", obj.type().qualifiedName());
        Map<?, ?> state = assertInstanceOf(Map.class, obj.state());
        assertSame(obj, state.get("_parent"));
    }

    @Test
    void inertObjectsAndClassGlobalsServeAsDictKeys() {
        // Lightning 1.0 keys callback states by the callback's class object
        PickleBytes p = PickleBytes.proto2().emptyDict().mark()
                .global("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint").str("state")
                .setitems().stop();
        Map<?, ?> d = assertInstanceOf(Map.class, load(p));
        assertEquals("state", d.get(new PickleGlobal("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint")));
    }

    @Test
    void aTensorRebuildIsRecordedNotPerformed() {
        PickleBytes p = PickleBytes.proto2()
                .tensor("HalfStorage", "7", 12, 2, new long[] {2, 3}, new long[] {3, 1}).stop();
        TensorRef ref = assertInstanceOf(TensorRef.class, load(p));
        assertEquals(new StorageRef(DType.F16, "7", 12), ref.storage());
        assertEquals(2, ref.offset());
        assertArrayEquals(new long[] {2, 3}, ref.size());
        assertArrayEquals(new long[] {3, 1}, ref.stride());
    }

    @Test
    void python2BuiltinNamesAreNormalisedBeforeTheAllowListCheck() {
        PickleBytes p = PickleBytes.proto2().global("__builtin__", "eval").str("1+1").op(0x85).reduce().stop();
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("pickle global 'builtins.eval' is not allowed"), e.getMessage());
    }

    @Test
    void stackGlobalIsCheckedLikeGlobal() {
        PickleBytes p = PickleBytes.proto2().op(0x8c).op(2).op('o').op('s').op(0x8c).op(6)
                .op('s').op('y').op('s').op('t').op('e').op('m').op(0x93)
                .str("true").op(0x85).reduce().stop();
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("pickle global 'os.system' is not allowed"), e.getMessage());
    }

    @Test
    void callingSomethingThatIsNotAGlobalIsRefused() {
        PickleBytes p = PickleBytes.proto2().str("x").emptyTuple().reduce().stop();
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("REDUCE on 'x', which is not a global"), e.getMessage());
    }

    @Test
    void unhashableDictKeysAreRefused() {
        PickleBytes p = PickleBytes.proto2().emptyDict().op(']').integer(1).op('s').stop();
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("unhashable dict key"), e.getMessage());
    }

    @Test
    void textModeAndExtensionOpcodesAreRefusedByName() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> load(PickleBytes.proto2().op('i').stop())); // INST: a call in protocol 0
        assertTrue(e.getMessage().contains("unsupported pickle opcode 0x69"), e.getMessage());
    }

    @Test
    void truncatedInputSaysSo() {
        byte[] whole = PickleBytes.proto2().str("a long enough string").stop().bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, 10);
        WeightsException e = assertThrows(WeightsException.class, () -> RestrictedUnpickler.load(cut, "cut.pkl"));
        assertTrue(e.getMessage().startsWith("cut.pkl: malformed pickle"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aLengthLargerThanTheInputIsRefusedWithoutAllocating() {
        PickleBytes p = PickleBytes.proto2().op('X').int32(Integer.MAX_VALUE);
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("needs 2147483647 more bytes"), e.getMessage());
    }

    @Test
    void persistentIdsMustBeTorchStorages() {
        PickleBytes p = PickleBytes.proto2().mark().str("storage").global("numpy", "FloatStorage").str("0")
                .str("cpu").integer(1).tuple().op('Q').stop();
        WeightsException e = assertThrows(WeightsException.class, () -> load(p));
        assertTrue(e.getMessage().contains("not a torch storage class"), e.getMessage());
        PickleBytes complex = PickleBytes.proto2().storage("ComplexFloatStorage", "0", 1).stop();
        e = assertThrows(WeightsException.class, () -> load(complex));
        assertTrue(e.getMessage().contains("unsupported storage type torch.ComplexFloatStorage"), e.getMessage());
    }
}
