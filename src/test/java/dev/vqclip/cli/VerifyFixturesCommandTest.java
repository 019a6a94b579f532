package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyFixturesCommandTest {
    static final Path FIXTURES = Path.of(System.getProperty("vqclip.fixtures.dir", "src/test/resources/fixtures"));

    record Run(int exit, String out) { }

    static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int exit = Main.commandLine().execute(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void theShippedFixturesPassEveryCheck() {
        Run r = run("verify-fixtures", FIXTURES.toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("CHECK vqgan_tiny/decoded_rect max_abs_err="), r.out());
        assertTrue(r.out().contains("CHECK clip_tiny/encode_text_out "), r.out());
        assertTrue(r.out().matches("(?s).*\\nparity: \\d+ passed, 0 failed\\n$"), r.out());
    }

    @Test
    void aCorruptedGoldenTensorFailsItsCheckAndTheCommand(@TempDir Path dir) throws Exception {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        addToFirstFloat(dir.resolve("vqgan_tiny.io.safetensors"), "decoded", 0.01f);

        Run r = run("verify-fixtures", dir.toString());

        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("CHECK vqgan_tiny/decoded max_abs_err=1.00"), r.out());
        assertTrue(r.out().contains("tol=5.0e-05 FAIL"), r.out());
        assertTrue(r.out().contains(" 1 failed"), r.out());
    }

    /** Edits one stored value in place: header offsets tell where the tensor's bytes are. */
    private static void addToFirstFloat(Path file, String tensor, float delta) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) b.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLen, StandardCharsets.UTF_8));
        int at = 8 + headerLen + header.get(tensor).get("data_offsets").get(0).asInt();
        b.putFloat(at, b.getFloat(at) + delta);
        Files.write(file, bytes);
    }
}
