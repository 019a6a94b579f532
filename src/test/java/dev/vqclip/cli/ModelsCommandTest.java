package dev.vqclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ModelsCommandTest {
    private static final byte[] WEIGHTS = "tiny clip".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VOCAB = "tiny vocab".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private HttpServer server;
    private Path catalog;
    private Path models;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        Map<String, byte[]> files = Map.of("/tiny.pt", WEIGHTS, "/vocab.gz", VOCAB);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        models = tmp.resolve("models");
        catalog = tmp.resolve("models.yaml");
        Files.writeString(catalog, """
                models:
                  - name: ViT-T/1
                    kind: clip
                    aliases: [ViT-T-1]
                    requires: [vocab]
                    files:
                      - {role: weights, file: tiny.pt, sha256: %s, size: %d, urls: [https://upstream.invalid/tiny.pt]}
                  - name: vocab
                    kind: vocab
                    files:
                      - {role: vocabulary, file: vocab.gz, sha256: %s, size: %d, urls: [https://upstream.invalid/vocab.gz]}
                """.formatted(sha(WEIGHTS), WEIGHTS.length, sha(VOCAB), VOCAB.length));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ModelsCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String mirror() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void listShowsKindSizeStatusAndPath() {
        int code = run("list", "--catalog", catalog.toString(), "--models-dir", models.toString());

        assertEquals(0, code, err.toString());
        String[] lines = out.toString().split("\\R");
        assertTrue(lines[0].matches("NAME +KIND +SIZE +STATUS +FILES"), lines[0]);
        assertTrue(lines[1].matches("ViT-T/1 +clip +0\\.0 MB +missing +" + models.resolve("tiny.pt")), lines[1]);
        assertTrue(lines[2].matches("vocab +vocab +0\\.0 MB +missing +.*vocab\\.gz"), lines[2]);
    }

    @Test
    void downloadFetchesTheModelWithItsVocabularyAndListShowsItPresent() throws IOException {
        int code = run("--catalog", catalog.toString(), "--models-dir", models.toString(), "--mirror", mirror(),
                "download", "vit-t-1");

        assertEquals(0, code, err.toString());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(models.resolve("tiny.pt")));
        assertArrayEquals(VOCAB, Files.readAllBytes(models.resolve("vocab.gz")));
        assertTrue(out.toString().contains("ViT-T/1: ready"), out.toString());
        assertTrue(out.toString().contains("vocabulary: " + models.resolve("vocab.gz")), out.toString());

        out.getBuffer().setLength(0);
        run("list", "--catalog", catalog.toString(), "--models-dir", models.toString());
        assertTrue(out.toString().lines().filter(l -> l.contains("present")).count() == 2, out.toString());
    }

    @Test
    void verifyFailsOnACorruptFile() throws IOException {
        run("download", "ViT-T/1", "--catalog", catalog.toString(), "--models-dir", models.toString(),
                "--mirror", mirror());
        Files.writeString(models.resolve("tiny.pt"), "corrupt");
        out.getBuffer().setLength(0);

        int code = run("verify", "--catalog", catalog.toString(), "--models-dir", models.toString());

        assertEquals(CommandLine.ExitCode.SOFTWARE, code);
        assertTrue(out.toString().contains("tiny.pt: MISMATCH, expected sha256 " + sha(WEIGHTS)), out.toString());
        assertTrue(out.toString().contains("vocab.gz: OK"), out.toString());
    }

    @Test
    void unknownModelIsAUsageErrorListingKnownNames() {
        int code = run("download", "ViT-H/14", "--catalog", catalog.toString(), "--models-dir", models.toString());

        assertEquals(CommandLine.ExitCode.USAGE, code);
        assertTrue(err.toString().contains("known models: ViT-T/1, vocab"), err.toString());
    }

    @Test
    void offlineDownloadSaysWhereToPutTheFile() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        int code = run("download", "vocab", "--catalog", catalog.toString(), "--models-dir", models.toString(),
                "--mirror", "http://127.0.0.1:" + closed + "/");

        assertEquals(CommandLine.ExitCode.SOFTWARE, code);
        assertTrue(err.toString().contains("could not reach 127.0.0.1: put vocab.gz (sha256 " + sha(VOCAB)
                + ") into " + models.toAbsolutePath() + "/ and rerun"), err.toString());
    }
}
