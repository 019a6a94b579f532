package dev.vqclip.engine.weights.catalog;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides, from the status line and headers, where the body goes. */
final class PartHandler implements HttpResponse.BodyHandler<Long> {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final DownloadSettings settings;
    private final Clock clock;
    private final PrintWriter progress;
    private final String label;
    private final Path part;
    private final URI url;
    private final long have;
    private final MessageDigest resumedDigest;
    volatile PartWriter writer;
    volatile long expectedTotal = -1;
    volatile boolean rangeMismatch;

    PartHandler(DownloadSettings settings, Clock clock, PrintWriter progress, String label, Path part, URI url,
            long have, MessageDigest resumedDigest) {
        this.settings = settings;
        this.clock = clock;
        this.progress = progress;
        this.label = label;
        this.part = part;
        this.url = url;
        this.have = have;
        this.resumedDigest = resumedDigest;
    }

    @Override
    public BodySubscriber<Long> apply(HttpResponse.ResponseInfo info) {
        int status = info.statusCode();
        if (status == 200) {
            if (have > 0) {
                progress.println(label + ": the server ignored the resume request; starting over");
            }
            expectedTotal = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            resumedDigest.reset();
            return open(false, 0);
        }
        String range = info.headers().firstValue("Content-Range").orElse("");
        if (status == 206) {
            Matcher m = CONTENT_RANGE.matcher(range);
            if (m.matches() && Long.parseLong(m.group(1)) == have) {
                expectedTotal = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
                return open(true, have);
            }
            rangeMismatch = true;
        }
        if (status == 416) {
            Matcher m = UNSATISFIED_RANGE.matcher(range);
            expectedTotal = m.matches() ? Long.parseLong(m.group(1)) : -1;
        }
        return BodySubscribers.replacing(0L);
    }

    private PartWriter open(boolean append, long startSize) {
        DownloadProgress bar = new DownloadProgress(progress, clock, settings.progressInterval(), label, startSize,
                expectedTotal < 0 ? -1 : expectedTotal);
        try {
            // written as the part is opened, so a part never exists without its origin
            Files.writeString(part.resolveSibling(label + PartFiles.SOURCE), url.toString(),
                    StandardCharsets.UTF_8);
            PartWriter w = new PartWriter(part, append, startSize, resumedDigest, bar, clock);
            writer = w;
            return w;
        } catch (IOException e) {
            throw new LocalFileException("cannot write " + part.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
