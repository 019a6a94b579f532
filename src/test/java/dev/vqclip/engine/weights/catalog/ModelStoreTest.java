package dev.vqclip.engine.weights.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import dev.vqclip.engine.weights.catalog.FileCheck.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final byte[] WEIGHTS = "clip weights".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VOCAB = "bpe merges".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CONFIG = "model: vqgan".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CKPT = "vqgan checkpoint".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private LoopbackFileServer server;
    private ModelCatalog catalog;

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackFileServer();
        server.serve("clip.pt", WEIGHTS);
        server.serve("bpe.txt.gz", VOCAB);
        server.serve("vqgan.yaml", CONFIG);
        server.serve("vqgan.ckpt", CKPT);
        catalog = ModelCatalog.of(List.of(
                new ModelEntry("ViT-T/1", ModelKind.CLIP, "test clip", List.of("vit-t-1"), List.of("vocab"),
                        List.of(file(FileRole.WEIGHTS, "clip.pt", sha(WEIGHTS)))),
                new ModelEntry("vocab", ModelKind.VOCAB, "", List.of(), List.of(),
                        List.of(file(FileRole.VOCABULARY, "bpe.txt.gz", sha(VOCAB)))),
                new ModelEntry("vqgan_test", ModelKind.VQGAN, "", List.of(), List.of(), List.of(
                        file(FileRole.CONFIG, "vqgan.yaml", null),
                        file(FileRole.CHECKPOINT, "vqgan.ckpt", null)))), "test");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String sha(byte[] bytes) {
        return Sha256.hex(Sha256.newDigest().digest(bytes));
    }

    private static ModelFile file(FileRole role, String name, String sha256) {
        return new ModelFile(role, name, sha256, null, false, List.of(URI.create("https://upstream.invalid/" + name)));
    }

    private ModelStore store(URI mirror) {
        Downloader downloader = new Downloader(DownloadSettings.defaults().withMirror(mirror), Clock.systemUTC(),
                new PrintWriter(new StringWriter()));
        return new ModelStore(catalog, dir, downloader);
    }

    private ModelStore offlineStore() throws IOException {
        return store(URI.create("http://127.0.0.1:" + LoopbackFileServer.closedPort() + "/"));
    }

    @Test
    void ensureDownloadsTheModelAndItsVocabularyOnce() throws IOException {
        ModelStore store = store(server.base());

        InstalledModel clip = store.ensure("vit-t-1");

        assertEquals("ViT-T/1", clip.entry().name());
        assertArrayEquals(WEIGHTS, Files.readAllBytes(clip.path(FileRole.WEIGHTS)));
        assertArrayEquals(VOCAB, Files.readAllBytes(clip.path(FileRole.VOCABULARY)));
        int requests = server.log().size();

        store.ensure("ViT-T/1");

        assertEquals(requests, server.log().size(), "verified files on disk are not fetched again");
    }

    @Test
    void ensureGivesEveryFileOfAVqganByRole() throws IOException {
        InstalledModel vqgan = store(server.base()).ensure("vqgan_test");

        assertArrayEquals(CONFIG, Files.readAllBytes(vqgan.path(FileRole.CONFIG)));
        assertArrayEquals(CKPT, Files.readAllBytes(vqgan.path(FileRole.CHECKPOINT)));
        assertThrows(IllegalArgumentException.class, () -> vqgan.path(FileRole.WEIGHTS));
    }

    @Test
    void aCorrectFilePutThereByHandIsAcceptedOffline() throws IOException {
        Files.write(dir.resolve("clip.pt"), WEIGHTS);
        Files.write(dir.resolve("bpe.txt.gz"), VOCAB);

        InstalledModel clip = offlineStore().ensure("ViT-T/1");

        assertEquals(dir.resolve("clip.pt"), clip.path(FileRole.WEIGHTS));
        assertEquals(sha(WEIGHTS), ChecksumRecord.read(dir.resolve("clip.pt")).orElseThrow());
    }

    @Test
    void aWrongFilePutThereByHandIsRejectedWithBothHashes() throws IOException {
        byte[] wrong = "not clip".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("bpe.txt.gz"), VOCAB);
        Files.write(dir.resolve("clip.pt"), wrong);

        DownloadException e = assertThrows(DownloadException.class, () -> offlineStore().ensure("ViT-T/1"));

        assertEquals(Reason.CHECKSUM_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("has sha256 " + sha(wrong) + " but the catalog expects " + sha(WEIGHTS)),
                e.getMessage());
        assertTrue(Files.exists(dir.resolve("clip.pt")), "a user's file is never deleted");
    }

    @Test
    void aFileChangedAfterItsRecordIsHashedAgain() throws IOException {
        ModelStore store = store(server.base());
        Path ckpt = store.ensure("vqgan_test").path(FileRole.CHECKPOINT);
        Files.write(ckpt, "tampered".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(ckpt, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(ChecksumRecord.pathFor(ckpt)).toMillis() + 10_000));

        DownloadException e = assertThrows(DownloadException.class, () -> store.ensure("vqgan_test"));

        assertTrue(e.getMessage().contains("its first download recorded " + sha(CKPT)), e.getMessage());
    }

    @Test
    void verifyReportsOkRecordedMismatchAndMissing() throws IOException {
        ModelStore store = store(server.base());
        store.ensure("ViT-T/1");
        Files.write(dir.resolve("vqgan.yaml"), CONFIG);

        List<FileCheck> clip = store.verify("ViT-T/1");
        assertEquals(List.of(Status.OK, Status.OK), clip.stream().map(FileCheck::status).toList());

        List<FileCheck> vqgan = store.verify("vqgan_test");
        assertEquals(List.of(Status.RECORDED, Status.MISSING), vqgan.stream().map(FileCheck::status).toList());
        assertEquals(Status.OK, store.verify("vqgan_test").get(0).status(), "the first-use record is now used");

        Files.write(dir.resolve("clip.pt"), "corrupt".getBytes(StandardCharsets.UTF_8));
        FileCheck corrupt = store.verify("ViT-T/1").get(1);
        assertEquals(Status.MISMATCH, corrupt.status());
        assertEquals(sha(WEIGHTS), corrupt.expected());
        assertTrue(corrupt.describe().contains("expected sha256 " + sha(WEIGHTS)), corrupt.describe());
    }

    @Test
    void verifyPresentChecksOnlyFilesOnDisk() throws IOException {
        Files.write(dir.resolve("bpe.txt.gz"), VOCAB);

        List<FileCheck> checks = offlineStore().verifyPresent();

        assertEquals(1, checks.size());
        assertEquals("vocab", checks.get(0).model());
        assertEquals(Status.OK, checks.get(0).status());
    }

    @Test
    void presenceTellsPartialDownloadsApart() throws IOException {
        ModelStore store = offlineStore();
        ModelFile ckpt = catalog.find("vqgan_test").file(FileRole.CHECKPOINT).orElseThrow();
        assertEquals(ModelStore.Presence.MISSING, store.presence(ckpt));

        Files.write(dir.resolve("vqgan.ckpt.part"), new byte[3]);
        assertEquals(ModelStore.Presence.PARTIAL, store.presence(ckpt));

        Files.write(dir.resolve("vqgan.ckpt"), CKPT);
        assertEquals(ModelStore.Presence.PRESENT, store.presence(ckpt));
    }
}
