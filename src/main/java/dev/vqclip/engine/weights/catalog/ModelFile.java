package dev.vqclip.engine.weights.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One downloadable file of a catalog entry.
 *
 * @param role       what the file is for
 * @param file       the file name under the models directory (no directories)
 * @param sha256     64 lower-case hex digits, or null when upstream publishes no checksum (trust on first use)
 * @param size       size in bytes, or null when unknown
 * @param sizeApprox true when {@code size} is an estimate
 * @param urls       where to fetch it, tried in order
 */
public record ModelFile(
        FileRole role,
        String file,
        String sha256,
        Long size,
        @JsonProperty("size_approx") boolean sizeApprox,
        List<URI> urls) {

    public ModelFile {
        if (role == null) {
            throw new IllegalArgumentException("a model file needs a role, file '" + file + "' has none");
        }
        if (file == null || file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException(
                    "a model file name must be a plain, non-hidden file name without directories, got '" + file + "'");
        }
        if (sha256 != null && !Sha256.isHex(sha256.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "sha256 of " + file + " must be 64 hex digits or null, got '" + sha256 + "'");
        }
        sha256 = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        if (size != null && size <= 0) {
            throw new IllegalArgumentException("size of " + file + " must be positive or null, got " + size);
        }
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("model file " + file + " needs at least one url");
        }
        for (URI url : urls) {
            String scheme = url.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
                throw new IllegalArgumentException("url of " + file + " must be an absolute http(s) url, got " + url);
            }
        }
        urls = List.copyOf(urls);
    }

    /** The published checksum, when there is one. */
    public Optional<String> pinnedSha256() {
        return Optional.ofNullable(sha256);
    }

    /** How the sha256 reads in messages: the hash, or that none is published. */
    public String sha256Description() {
        return sha256 != null ? "sha256 " + sha256 : "sha256 not published; any copy of " + urls.get(0);
    }
}
