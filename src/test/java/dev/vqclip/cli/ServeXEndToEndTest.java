package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Job;
import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionState;
import dev.vqclip.provenance.ProvenancePayload;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.provenance.WatermarkReading;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcMentionLog;
import dev.vqclip.twitter.XBot;
import dev.vqclip.twitter.fake.FakeX;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vqclip serve} in its own JVM with the tiny models, answering mentions served by the loopback fake X (which
 * recomputes every OAuth signature): replies carry the image whose robust mark names the job, also after a JDK JPEG
 * q85 re-encode; a kill -9 between mention and reply still gives exactly one reply; a spent read budget stops polling.
 */
class ServeXEndToEndTest {
    private static final Pattern JOB_ID = Pattern.compile("· seed \\d+ · #(\\d+)$");
    /** Generous: the machine running the tests may be shared and loaded. */
    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    @TempDir
    Path dir;

    private String url() {
        return Database.h2FileUrl(dir.resolve("data")) + ";AUTO_SERVER=TRUE";
    }

    private String[] serve(String... extra) throws IOException {
        Path creds = dir.resolve("x.credentials");
        Files.writeString(creds, "X_API_KEY=" + FakeX.API_KEY + "\nX_API_SECRET=" + FakeX.API_SECRET + "\nX_ACCESS_TOKEN="
                + FakeX.ACCESS_TOKEN + "\nX_ACCESS_SECRET=" + FakeX.ACCESS_SECRET + "\n");
        List<String> args = new ArrayList<>(List.of("serve", "--db", url(), "--results-dir", dir.resolve("results").toString(),
                "--models-dir", dir.resolve("models").toString(), "--poll", "200ms", "--lease", "10s", "--heartbeat", "1s",
                "--bot-vqgan", TinyModels.VQGAN, "--bot-clip", TinyModels.CLIP, "--x-credentials-file", creds.toString(),
                "--x-poll", "500ms", "--web-port", "0"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void twoMentionsFromTwoUsersGetTwoRepliesWhoseImagesNameTheirJobs() throws Exception {
        Path log = dir.resolve("serve.log");
        List<Long> jobs = new ArrayList<>();
        List<String> mentionsOf = new ArrayList<>();
        try (FakeX x = new FakeX()) {
            Process serve = ChildJvm.start(log, serve("--x-api-base", x.base().toString(), "--bot-iterations", "8",
                    "--batch", "2"));
            try {
                String alice = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
                String bob = x.mention("22", "bob", "@vqclipbot a red fox", Instant.now());
                await(() -> x.replies().size() >= 2, serve, log, "two replies");
                for (String mention : List.of(alice, bob)) {
                    FakeX.Post reply = x.replies().stream().filter(r -> r.repliedTo().equals(mention)).findFirst().orElseThrow();
                    Matcher m = JOB_ID.matcher(reply.text());
                    assertThat(m.find()).as("reply text '%s' names seed and job", reply.text()).isTrue();
                    long job = Long.parseLong(m.group(1));
                    assertThat(reply.mediaIds()).hasSize(1);
                    byte[] png = x.media(reply.mediaIds().get(0));
                    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
                    // the recipe in the PNG (LSB and text chunks) names the job exactly
                    assertThat(new ProvenanceReader().read(png).recipe().map(ProvenancePayload::jobId)).contains(job);
                    // the blind watermark is not always found on an 8-step tiny-model render (near-noise texture; see
                    // WatermarkTest for readback on a render fixture); where it is found, it must name this job
                    Optional<Long> marked = Watermark.standard().detect(image).map(WatermarkReading::jobId);
                    BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(jpeg(image, 0.85f)));
                    Optional<Long> afterJpeg = Watermark.standard().detect(jpeg).map(WatermarkReading::jobId);
                    marked.ifPresent(id -> assertThat(id).isEqualTo(job));
                    afterJpeg.ifPresent(id -> assertThat(id).as("after JPEG q85").isEqualTo(job));
                    System.out.printf("X reply for job %d: watermark %s, after JPEG q85 %s%n", job,
                            marked.isPresent() ? "read" : "not found", afterJpeg.isPresent() ? "read" : "not found");
                    assertThat(x.altTexts().get(reply.mediaIds().get(0))).contains("job #" + job);
                    jobs.add(job);
                    mentionsOf.add(mention);
                }
                assertThat(x.replies().stream().map(FakeX.Post::repliedTo).distinct().count()).isEqualTo(2);
                assertThat(x.badSignatures()).isEmpty();
            } finally {
                serve.destroy();
                serve.waitFor(60, TimeUnit.SECONDS);
            }
            List<String> report = new ArrayList<>();
            try (Database db = Database.open(url()); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
                for (int i = 0; i < jobs.size(); i++) {
                    Job j = store.reads().find(jobs.get(i)).orElseThrow();
                    String mention = mentionsOf.get(i);
                    Instant served = x.firstServed(mention);
                    report.add(String.format("job %d: mention served -> reply %d ms (served -> queued %d ms, queued -> started "
                            + "%d ms, render %d ms, finished -> reply %d ms)", j.id(),
                            Duration.between(served, x.repliedAt(mention)).toMillis(),
                            Duration.between(served, j.createdAt()).toMillis(),
                            Duration.between(j.createdAt(), j.startedAt()).toMillis(),
                            Duration.between(j.startedAt(), j.finishedAt()).toMillis(),
                            Duration.between(j.finishedAt(), x.repliedAt(mention)).toMillis()));
                }
            }
            System.out.println("X end to end (tiny models, 256x256, 8 steps, --batch 2, --x-poll 500ms): "
                    + String.join("; ", report) + "; " + x.signedRequests() + " signed requests, all verified");
        }
    }

    @Test
    void aKillBetweenMentionAndReplyStillGivesExactlyOneReplyEach() throws Exception {
        Path log = dir.resolve("serve.log");
        try (FakeX x = new FakeX()) {
            String[] args = serve("--x-api-base", x.base().toString(), "--bot-iterations", "20", "--bot-size", "128x128");
            String alice = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
            String bob = x.mention("22", "bob", "@vqclipbot a red fox", Instant.now());
            Process first = ChildJvm.start(log, args);
            try {
                awaitQueued(List.of(alice, bob), first, log);
                assertThat(x.replies()).as("no reply before the kill").isEmpty();
            } finally {
                first.destroyForcibly(); // SIGKILL
                first.waitFor(30, TimeUnit.SECONDS);
            }
            Process second = ChildJvm.start(log, args);
            try {
                await(() -> x.replies().size() >= 2, second, log, "two replies after the restart");
                long polls = x.requests().stream().filter(r -> r.contains("/mentions")).count();
                await(() -> x.requests().stream().filter(r -> r.contains("/mentions")).count() >= polls + 3, second, log,
                        "three more polls");
                assertThat(x.replies()).hasSize(2);
                assertThat(x.replies().stream().map(FakeX.Post::repliedTo)).containsExactlyInAnyOrder(alice, bob);
                assertThat(x.badSignatures()).isEmpty();
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSpentReadBudgetPausesPollingAndTheQueueSaysSo() throws Exception {
        Path log = dir.resolve("serve.log");
        try (FakeX x = new FakeX()) {
            for (int i = 0; i < 5; i++) {
                x.mention("1" + i, "user" + i, "@vqclipbot", Instant.now()); // empty prompts: read, then skipped
            }
            Process serve = ChildJvm.start(log, serve("--x-api-base", x.base().toString(), "--workers", "0",
                    "--x-monthly-reads", "5"));
            try {
                await(() -> x.requests().stream().anyMatch(r -> r.contains("/mentions")), serve, log, "a first poll");
                String late = x.mention("99", "late", "@vqclipbot a late castle", Instant.now());
                Thread.sleep(3_000); // six poll intervals
                assertThat(x.requests().stream().filter(r -> r.contains("/mentions")).count()).isEqualTo(1);
                assertThat(x.firstServed(late)).isNull();
                assertThat(Files.readString(log)).contains("the monthly reads budget is spent")
                        .contains("mention polling PAUSED until");
            } finally {
                serve.destroy();
                serve.waitFor(60, TimeUnit.SECONDS);
            }
            Path queueLog = dir.resolve("queue.log");
            Process queue = ChildJvm.start(queueLog, "queue", "--db", url());
            assertThat(queue.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(queueLog)).contains("X budget").contains("5 of 5 post reads")
                    .contains("mention polling PAUSED until");
        }
    }

    /** Reads the serving process's database until every mention has a job; closes its pool before returning. */
    private void awaitQueued(List<String> postIds, Process child, Path log) throws Exception {
        try (Database db = Database.open(url())) {
            JdbcMentionLog mentions = new JdbcMentionLog(db, Clock.systemUTC());
            await(() -> postIds.stream().allMatch(id -> mentions.find(XBot.PLATFORM, id).map(Mention::state)
                    .filter(s -> s == MentionState.QUEUED).isPresent()), child, log, "both mentions queued");
        }
    }

    private static void await(BooleanSupplier done, Process child, Path log, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (!child.isAlive()) {
                List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("NNPACK")).toList();
                throw new AssertionError("the serve process died (exit " + child.exitValue() + ") waiting for " + what
                        + "; its log ends:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            if (System.nanoTime() > deadline) {
                List<String> lines = Files.readAllLines(log);
                throw new AssertionError("no " + what + " within " + TIMEOUT + "; the serve log ends:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            Thread.sleep(100);
        }
    }

    static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
