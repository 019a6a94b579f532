package dev.vqclip.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finished images waiting for their DONE commit, on local disk: a store error (or a crash) between render and commit
 * must not lose the work. Each file is keyed by job and lease token, so a restarted worker can offer it back with
 * the token it was rendered under and the store decides whether that lease is still the job's latest.
 */
final class ResultSpool {
    private static final Logger log = LoggerFactory.getLogger(ResultSpool.class);
    private static final Pattern NAME = Pattern.compile("job-(\\d+)-lease-(\\d+)-it-(\\d+)-gpu-(\\d+)\\.png");

    /** A kept result: what {@link Leases#adopt} needs, and where the image lies. */
    record Kept(long jobId, long token, int iterations, long gpuMs, Path file) {
    }

    private final Path dir;

    /** @param dir where results wait; null keeps them only in memory (no adoption after a crash) */
    ResultSpool(Path dir) {
        this.dir = dir;
    }

    /** Writes the image durably (temporary file, fsync, atomic rename); empty when there is no folder or it failed. */
    Optional<Kept> keep(long jobId, long token, int iterations, long gpuMs, byte[] png) {
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve("job-" + jobId + "-lease-" + token + "-it-" + iterations + "-gpu-" + gpuMs + ".png");
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(png));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(new Kept(jobId, token, iterations, gpuMs, file));
        } catch (IOException e) {
            log.warn("job {}: the finished image could not be kept in {} ({}); it is held in memory only", jobId, dir,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Results left by an earlier run of this worker, oldest job first. */
    List<Kept> pending() {
        List<Kept> kept = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return kept;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.sorted().forEach(f -> {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches()) {
                    kept.add(new Kept(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                            Long.parseLong(m.group(4)), f));
                }
            });
        } catch (IOException e) {
            log.warn("kept results in {} could not be listed: {}", dir, e.getMessage());
        }
        return kept;
    }

    static byte[] read(Kept kept) throws IOException {
        return Files.readAllBytes(kept.file());
    }

    /** The result was committed, or refused for good: the file is no longer needed. */
    void drop(Optional<Kept> kept) {
        kept.ifPresent(k -> {
            try {
                Files.deleteIfExists(k.file());
            } catch (IOException e) {
                log.warn("kept result {} could not be deleted: {}", k.file(), e.getMessage());
            }
        });
    }
}
