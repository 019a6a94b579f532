package dev.vqclip.app;

import dev.vqclip.discord.ImageInput;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ImageLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Where attached init and target images live until a worker reads them: each upload is checked with the safe
 * {@link ImageLoader} (no decompression bombs, no truncated files), re-encoded as PNG (which drops whatever else the
 * file carried) and stored once under the SHA-256 of its bytes, only once the job it came with is admitted. Workers
 * in other processes need this folder on shared storage.
 */
public final class UploadFolder {
    private final Path dir;
    private final ImageLoader loader;

    public UploadFolder(Path dir) {
        this(dir, new ImageLoader(4096L * 4096L));
    }

    UploadFolder(Path dir, ImageLoader loader) {
        this.dir = dir.toAbsolutePath();
        this.loader = loader;
    }

    /** A set of uploads for one request, written aside until the request's job is admitted. */
    public Batch batch() {
        return new Batch();
    }

    /**
     * The uploads of one request. {@link #add} checks an image and writes it to a temporary file; {@link #keep}
     * moves them into place once the job is admitted (before the job is committed, so no worker sees a job whose
     * images are missing); closing deletes whatever was not kept, so a refused request leaves nothing behind.
     */
    public final class Batch implements AutoCloseable {
        private final Map<Path, Path> pending = new LinkedHashMap<>();

        private Batch() {
        }

        /**
         * @return the path the image will have once kept, for the recipe
         * @throws IllegalArgumentException with a message for the user when the attachment is not a usable image
         */
        public String add(ImageInput input) {
            ImageLoader.Loaded image;
            try {
                image = loader.load(input.bytes());
            } catch (BadImageException e) {
                throw new IllegalArgumentException("the attachment " + input.filename() + " is not a usable image: "
                        + e.getMessage(), e);
            }
            Path file = dir.resolve(sha256(input.bytes()) + ".png");
            if (pending.containsKey(file) || Files.exists(file)) {
                return file.toString(); // the same bytes are stored once
            }
            try {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "upload", ".tmp");
                pending.put(file, tmp);
                ImageIO.write(image.image(), "png", tmp.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("upload folder " + dir + " is not writable", e);
            }
            return file.toString();
        }

        /** Moves the added images into place; safe to run again (a retried transaction). */
        public void keep() {
            try {
                for (Iterator<Map.Entry<Path, Path>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Path, Path> e = it.next();
                    try {
                        Files.move(e.getValue(), e.getKey(), StandardCopyOption.ATOMIC_MOVE);
                    } catch (FileAlreadyExistsException raced) {
                        Files.delete(e.getValue()); // the same image arrived twice at once
                    }
                    it.remove();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not store an upload in " + dir, e);
            }
        }

        /** Deletes the images that were not kept. */
        @Override
        public void close() {
            for (Path tmp : pending.values()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not delete the refused upload " + tmp, e);
                }
            }
            pending.clear();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
