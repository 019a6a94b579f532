package dev.vqclip.engine.weights.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.engine.weights.catalog.DownloadException.Reason;
import dev.vqclip.engine.weights.catalog.LoopbackFileServer.Served;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {
    private static final int SIZE = 300_000;

    @TempDir
    Path dir;

    private LoopbackFileServer server;
    private final StringWriter progress = new StringWriter();
    private byte[] content;
    private String sha256;

    @BeforeEach
    void start() throws IOException {
        server = new LoopbackFileServer();
        content = new byte[SIZE];
        new Random(42).nextBytes(content);
        sha256 = Sha256.hex(Sha256.newDigest().digest(content));
        server.serve("weights.bin", content);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Downloader downloader(DownloadSettings settings) {
        return new Downloader(settings, Clock.systemUTC(), new PrintWriter(progress, true));
    }

    private DownloadSettings viaServer(int attempts) {
        return DownloadSettings.defaults().withMirror(server.base()).withAttemptsPerUrl(attempts);
    }

    private static ModelFile file(String sha256, URI... urls) {
        return new ModelFile(FileRole.WEIGHTS, "weights.bin", sha256, (long) SIZE, false, List.of(urls));
    }

    private ModelFile pinned() {
        return file(sha256, URI.create("https://example.invalid/weights.bin"));
    }

    @Test
    void downloadsVerifiesAndRecordsThePinnedFile() throws IOException {
        Path result = downloader(viaServer(1)).download(pinned(), dir);

        assertEquals(dir.resolve("weights.bin"), result);
        assertArrayEquals(content, Files.readAllBytes(result));
        assertEquals(sha256, ChecksumRecord.read(result).orElseThrow());
        assertFalse(Files.exists(dir.resolve("weights.bin.part")));
        assertFalse(Files.exists(dir.resolve("weights.bin.part.src")));
        assertTrue(progress.toString().contains("100.0%"), progress.toString());
        assertNull(server.log().get(0).range(), "a fresh download asks for the whole file");
    }

    @Test
    void resumesATruncatedDownloadFetchingOnlyTheRemainder() throws IOException {
        server.breakNextResponseAfter(100_000);
        Downloader downloader = downloader(viaServer(1));

        DownloadException broken = assertThrows(DownloadException.class, () -> downloader.download(pinned(), dir));
        assertEquals(Reason.INTERRUPTED, broken.reason());
        long kept = Files.size(dir.resolve("weights.bin.part"));
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept + " bytes");

        Path result = downloader.download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        Served resumed = server.log().get(1);
        assertEquals("bytes=" + kept + "-", resumed.range());
        assertEquals(206, resumed.status());
        assertEquals(SIZE - kept, resumed.bodyBytes(), "only the remainder travels again");
    }

    @Test
    void resumesWithinOneCallWhenAttemptsAllow() throws IOException {
        server.breakNextResponseAfter(120_000);

        Path result = downloader(viaServer(2)).download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        List<Served> log = server.log();
        assertEquals(2, log.size());
        assertTrue(log.get(1).range().startsWith("bytes="), log.get(1).toString());
        assertEquals(SIZE, log.get(0).bodyBytes() + log.get(1).bodyBytes());
    }

    @Test
    void restartsFromZeroWhenTheServerIgnoresRange() throws IOException {
        server.breakNextResponseAfter(100_000);
        Downloader downloader = downloader(viaServer(1));
        assertThrows(DownloadException.class, () -> downloader.download(pinned(), dir));
        server.honourRange(false);

        Path result = downloader.download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result), "the part was truncated, not appended to");
        Served second = server.log().get(1);
        assertTrue(second.range().startsWith("bytes="), "we asked to resume");
        assertEquals(200, second.status());
        assertEquals(SIZE, second.bodyBytes());
        assertTrue(progress.toString().contains("ignored the resume request"), progress.toString());
    }

    @Test
    void startsOverWhenTheServerResumesAtTheWrongByte() throws IOException {
        server.breakNextResponseAfter(100_000);
        assertThrows(DownloadException.class, () -> downloader(viaServer(1)).download(pinned(), dir));
        server.answerRangesFromZero();

        Path result = downloader(viaServer(2)).download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        List<Served> log = server.log();
        assertEquals(3, log.size(), "broken, wrong range, fresh: " + log);
        assertNull(log.get(2).range());
        assertTrue(progress.toString().contains("resumed at another byte"), progress.toString());
    }

    @Test
    void installsACompletePartWithoutFetchingItAgain() throws IOException {
        Files.write(dir.resolve("weights.bin.part"), content);
        Files.writeString(dir.resolve("weights.bin.part.src"), server.url("weights.bin").toString());

        Path result = downloader(viaServer(1)).download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        assertEquals(416, server.log().get(0).status());
    }

    @Test
    void discardsAPartThatCameFromAnotherUrl() throws IOException {
        Files.write(dir.resolve("weights.bin.part"), new byte[1000]);
        Files.writeString(dir.resolve("weights.bin.part.src"), "http://elsewhere.invalid/weights.bin");

        Path result = downloader(viaServer(1)).download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        assertNull(server.log().get(0).range());
    }

    @Test
    void resumesAfterAStalledTransfer() throws IOException {
        server.stallNextResponseAfter(50_000);
        DownloadSettings settings = viaServer(2).withStallTimeout(Duration.ofMillis(300));

        Path result = downloader(settings).download(pinned(), dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        assertTrue(progress.toString().contains("no data for"), progress.toString());
        assertEquals("bytes=50000-", server.log().get(1).range());
    }

    @Test
    void checksumMismatchDeletesThePartAndNamesBothHashes() {
        String wrong = "0".repeat(64);

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(viaServer(1)).download(file(wrong, URI.create("https://x.invalid/w")), dir));

        assertEquals(Reason.CHECKSUM_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("expected " + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("got " + sha256), e.getMessage());
        assertFalse(Files.exists(dir.resolve("weights.bin.part")));
        assertFalse(Files.exists(dir.resolve("weights.bin")));
    }

    @Test
    void notFoundIsAnHttpErrorNamingTheUrl() {
        ModelFile missing = new ModelFile(FileRole.CONFIG, "absent.yaml", null, null, false,
                List.of(URI.create("https://x.invalid/absent.yaml")));

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(viaServer(1)).download(missing, dir));

        assertEquals(Reason.HTTP_STATUS, e.reason());
        assertTrue(e.getMessage().contains(server.url("absent.yaml") + ": HTTP 404"), e.getMessage());
    }

    @Test
    void triesTheNextUrlWhenOneFails() throws IOException {
        ModelFile twoUrls = file(sha256, server.url("gone/weights.bin"), server.url("weights.bin"));

        Path result = downloader(DownloadSettings.defaults()).download(twoUrls, dir);

        assertArrayEquals(content, Files.readAllBytes(result));
        assertEquals(List.of(404, 200), server.log().stream().map(Served::status).toList());
    }

    @Test
    void unreachableServerTellsWhereToPutTheFileByHand() throws IOException {
        URI closed = URI.create("http://127.0.0.1:" + LoopbackFileServer.closedPort() + "/");
        DownloadSettings settings = DownloadSettings.defaults().withMirror(closed);

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader(settings).download(pinned(), dir));

        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().startsWith("could not reach 127.0.0.1: put weights.bin (sha256 " + sha256
                + ") into " + dir.toAbsolutePath() + "/ and rerun"), e.getMessage());
    }

    @Test
    void withoutAPublishedHashTheFirstDownloadIsRecorded() throws IOException {
        ModelFile unpinned = file(null, URI.create("https://x.invalid/weights.bin"));

        Path result = downloader(viaServer(1)).download(unpinned, dir);

        assertEquals(sha256, ChecksumRecord.read(result).orElseThrow());
        assertEquals(sha256 + "  weights.bin\n", Files.readString(dir.resolve("weights.bin.sha256")));
        assertTrue(progress.toString().contains("trust on first use"), progress.toString());
    }
}
