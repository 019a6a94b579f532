package dev.vqclip.engine.weights.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 helpers: hashing files and checking the 64-hex-digit form the catalog uses. */
public final class Sha256 {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 1 << 20;

    private Sha256() {
    }

    /** True for exactly 64 lower-case hex digits. */
    public static boolean isHex(String value) {
        return value != null && HEX64.matcher(value).matches();
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide SHA-256 (MessageDigest javadoc)
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Feeds the whole file through {@code digest}. */
    public static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    public static String ofFile(Path file) throws IOException {
        MessageDigest digest = newDigest();
        update(digest, file);
        return hex(digest.digest());
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
