package dev.vqclip.engine.weights;

import static dev.vqclip.engine.weights.HostileCheckpoints.ckpt;
import static dev.vqclip.engine.weights.HostileCheckpoints.memoFlood;
import static dev.vqclip.engine.weights.HostileCheckpoints.overlapping;
import static dev.vqclip.engine.weights.HostileCheckpoints.repeated;
import static dev.vqclip.engine.weights.HostileCheckpoints.storageBomb;
import static dev.vqclip.engine.weights.HostileCheckpoints.strideZero;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import dev.vqclip.engine.ModelRepository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded corpus of hostile model files, one generator per input class of issue 19, loaded in-process the way
 * {@code imagine} loads them: each must be refused with a {@link WeightsException} whose one-line message names the
 * file (and, for a limit, the limit), within a time bound; nothing else may escape (no NPE, no OOM, no map failure).
 */
class HostileModelCorpusTest {
    private static final long SEED = 19;
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static ModelRepository models;

    @BeforeAll
    static void open() {
        models = new ModelRepository(null, Device.cpu());
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /** A generated file, the loader it goes to, and words its refusal must contain. */
    record Case(String name, Path file, Consumer<Path> loader, List<String> mustSay) {
    }

    @TestFactory
    List<DynamicTest> everyHostileModelFileIsRefusedCleanly() throws IOException {
        List<Case> cases = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(SEED);
        Consumer<Path> stateDict = ModelFiles::readStateDict;
        Consumer<Path> clip = p -> models.clip(p.toString());
        Consumer<Path> vqgan = p -> models.vqgan(p.toString());

        // safetensors shapes that are not lists of integers
        for (String shape : List.of("{\"a\": 1}", "\"4\"", "[-1]", "[1.5]", "[1,2,3,4,5,6,7,8,9]", "null", "[[2]]")) {
            cases.add(new Case("shape " + shape, safetensors("shape" + cases.size(),
                    "{\"w\": {\"dtype\": \"F32\", \"shape\": " + shape + ", \"data_offsets\": [0, 4]}}", 4), stateDict,
                    List.of("shape")));
        }
        // too many tensors (each would be one memory map)
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i <= SafetensorsReader.MAX_TENSORS; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}");
        }
        cases.add(new Case("10,001 tensors", safetensors("many", many.append("}").toString(), 4), stateDict,
                List.of(Integer.toString(SafetensorsReader.MAX_TENSORS), "10001")));
        // a tensor above 2 GiB (sparse file, nothing is written)
        Path huge = safetensors("huge", "{\"w\": {\"dtype\": \"F32\", \"shape\": [600000000], \"data_offsets\": [0, 2400000000]}}", 0);
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(f.length() + 2_400_000_000L);
        }
        cases.add(new Case("2.4 GB tensor", huge, stateDict, List.of("2400000000", "limit")));
        // random and mutated headers
        for (int i = 0; i < 40; i++) {
            byte[] header = randomJsonish(r);
            cases.add(new Case("random header " + i, safetensors("random" + i, new String(header, StandardCharsets.ISO_8859_1),
                    r.nextInt(64)), clip, List.of()));
        }
        // config values far above any real model: refused before the expected shapes are listed
        for (String field : List.of("vision_layers", "transformer_layers", "vocab_size", "context_length", "embed_dim")) {
            String config = clipConfig().replace("\"" + field + "\": ", "\"" + field + "\": 2147483647, \"_was\": ");
            cases.add(new Case("CLIP " + field + " = 2^31-1", withConfig("clip_" + field, config), clip,
                    List.of(field, "2147483647", "limit")));
        }
        for (String field : List.of("num_res_blocks", "ch", "n_embed", "z_channels")) {
            String config = vqganConfig().replace("\"" + field + "\": ", "\"" + field + "\": 2147483647, \"_was\": ");
            cases.add(new Case("VQGAN " + field + " = 2^31-1", withConfig("vqgan_" + field, config), vqgan,
                    List.of(field, "2147483647", "limit")));
        }
        cases.add(new Case("VQGAN ch = 0", withConfig("vqgan_ch0", vqganConfig().replace("\"ch\": 32", "\"ch\": 0")), vqgan,
                List.of("ch=0", "num_res_blocks=1", "n_embed=64")));
        // the two models swapped
        cases.add(new Case("a VQGAN given as --clip", Fixtures.file("vqgan_tiny.weights.safetensors"), clip, List.of("swapped")));
        cases.add(new Case("a CLIP given as --vqgan", Fixtures.file("clip_tiny.weights.safetensors"), vqgan, List.of("swapped")));
        // a sibling vocabulary that is not gzip, or a gzip bomb
        cases.add(new Case("vocabulary not gzip", clipWithVocabulary("notgz", "not gzip at all".getBytes()), clip,
                List.of("vocabulary", "gzip")));
        cases.add(new Case("vocabulary gzip bomb", clipWithVocabulary("bomb", gzipOfZeros(64 << 20)), clip,
                List.of("vocabulary", "limit")));
        // pickles that push far more objects than the file holds
        cases.add(new Case("250k EMPTY_DICT", ckpt(dir, "dicts", repeated('}', 250_000), false), stateDict,
                List.of("limit", Integer.toString(RestrictedUnpickler.MAX_STACK))));
        cases.add(new Case("deflated 1000:1 pickle", ckpt(dir, "deflated", repeated('}', 4_000_000), true), stateDict,
                List.of("limit", "inflates")));
        cases.add(new Case("200k MARKs", ckpt(dir, "marks", repeated('(', 200_000), false), stateDict, List.of("MARK", "limit")));
        cases.add(new Case("memo flood", ckpt(dir, "memo", memoFlood(1_100_000), false), stateDict,
                List.of("memo", Integer.toString(RestrictedUnpickler.MAX_MEMO))));
        // a storage deflated ~1000:1, and a stride-0 view expanded to gigabytes
        cases.add(new Case("storage deflated 1000:1", storageBomb(dir), stateDict, List.of("inflates", "limit")));
        cases.add(new Case("stride-0 tensor to 40 MB", strideZero(dir), stateDict, List.of("limit")));
        cases.add(new Case("1,000 zip entries over one 8 MB storage", overlapping(dir, 1000, 2 << 20), stateDict,
                List.of("overlapping", "limit")));
        // random bytes behind a zip or safetensors signature
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[16 + r.nextInt(2000)];
            r.nextBytes(junk);
            junk[0] = 'P';
            junk[1] = 'K';
            junk[2] = 3;
            junk[3] = 4;
            Path f = dir.resolve("junk" + i + ".ckpt");
            Files.write(f, junk);
            cases.add(new Case("zip-looking junk " + i, f, stateDict, List.of()));
        }
        // not a regular file, or no file at all
        cases.add(new Case("a folder", dir, stateDict, List.of("not a regular file")));
        if (Files.exists(Path.of("/dev/zero"))) {
            cases.add(new Case("/dev/zero", Path.of("/dev/zero"), stateDict, List.of("not a regular file")));
        }
        cases.add(new Case("mistyped --vqgan path", dir.resolve("vqgan_tinyy.ckpt"), vqgan, List.of("no such file")));

        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> refusedCleanly(c)));
        }
        System.out.println("hostile model corpus: " + cases.size() + " files, seed " + SEED);
        return tests;
    }

    private static void refusedCleanly(Case c) {
        WeightsException refused = assertTimeoutPreemptively(BOUND, () -> {
            try {
                c.loader().accept(c.file());
                return null;
            } catch (WeightsException e) {
                return e;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                throw new AssertionError(c.name() + ": " + e.getClass().getSimpleName() + " instead of a clear refusal", e);
            }
        }, c.name() + " took longer than " + BOUND);
        if (refused == null) {
            fail(c.name() + ": accepted");
        }
        String m = refused.getMessage();
        assertTrue(m != null && !m.isBlank() && !m.contains("\n"), c.name() + ": one line, got " + m);
        String file = c.file().getFileName().toString();
        assertTrue(m.contains(file), c.name() + ": the message names the file " + file + ": " + m);
        for (String word : c.mustSay()) {
            assertTrue(m.contains(word), c.name() + ": the message says '" + word + "': " + m);
        }
    }

    private static Path safetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve(name + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static byte[] randomJsonish(SplittableRandom r) {
        String alphabet = "{}[]\":,0123456789-.eE truefalsnul\\\u00e9dtypeshapedata_offsetsF32__metadata__";
        byte[] b = new byte[1 + r.nextInt(300)];
        b[0] = '{';
        for (int i = 1; i < b.length; i++) {
            b[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        return b;
    }

    private static String clipConfig() {
        return "{\"embed_dim\": 32, \"image_resolution\": 32, \"vision_layers\": 2, \"vision_width\": 128, "
                + "\"vision_patch_size\": 8, \"context_length\": 16, \"vocab_size\": 64, \"transformer_width\": 128, "
                + "\"transformer_heads\": 2, \"transformer_layers\": 2}";
    }

    private static String vqganConfig() {
        return "{\"ddconfig\": {\"double_z\": false, \"z_channels\": 16, \"resolution\": 32, \"in_channels\": 3, "
                + "\"out_ch\": 3, \"ch\": 32, \"ch_mult\": [1, 2, 2], \"num_res_blocks\": 1, \"attn_resolutions\": [8], "
                + "\"dropout\": 0.0}, \"n_embed\": 64, \"embed_dim\": 16}";
    }

    /** One tiny tensor and the given config in the metadata. */
    private static Path withConfig(String name, String config) throws IOException {
        String meta = "{\"__metadata__\": {\"config\": " + quote(config) + "}, "
                + "\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}";
        return safetensors(name, meta, 4);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Path clipWithVocabulary(String name, byte[] vocabulary) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("vocab-" + name));
        Path weights = folder.resolve("clip.safetensors");
        Files.copy(Fixtures.file("clip_tiny.weights.safetensors"), weights);
        Files.write(folder.resolve("clip.vocab.txt.gz"), vocabulary);
        return weights;
    }

    private static byte[] gzipOfZeros(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < n; i += zeros.length) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }







}
