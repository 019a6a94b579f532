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
import javax.imageio.ImageIO;

/**
 * Where attached init and target images live until a worker reads them: each upload is checked with the safe
 * {@link ImageLoader} (no decompression bombs, no truncated files), re-encoded as PNG (which drops whatever else the
 * file carried) and stored once under the SHA-256 of its bytes. Workers in other processes need this folder on
 * shared storage.
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

    /**
     * @return the stored image's path, for the recipe
     * @throws IllegalArgumentException with a message for the user when the attachment is not a usable image
     */
    public String store(ImageInput input) {
        ImageLoader.Loaded image;
        try {
            image = loader.load(input.bytes());
        } catch (BadImageException e) {
            throw new IllegalArgumentException("the attachment " + input.filename() + " is not a usable image: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(sha256(input.bytes()) + ".png");
            if (!Files.exists(file)) {
                Path tmp = Files.createTempFile(dir, "upload", ".tmp");
                ImageIO.write(image.image(), "png", tmp.toFile());
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    Files.delete(tmp); // the same image arrived twice at once
                }
            }
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("upload folder " + dir + " is not writable", e);
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
