package dev.vqclip.twitter;

import java.net.URI;
import java.time.Duration;

/**
 * The X adapter's settings.
 *
 * @param apiBase      where the v2 routes live ({@code https://api.x.com})
 * @param uploadBase   where the media routes live (the API base unless a proxy splits them)
 * @param poll         how often mentions are read (each read is billed)
 * @param backlog      on the very first start, mentions younger than this are answered, older ones skipped
 * @param monthlyReads post reads allowed per calendar month (UTC); polling pauses when they are spent
 * @param monthlyPosts posts allowed per calendar month (UTC); replies wait when they are spent
 */
public record XConfig(XCredentials credentials, URI apiBase, URI uploadBase, Duration poll, Duration backlog,
                      long monthlyReads, long monthlyPosts) {
    public static final URI DEFAULT_API = URI.create("https://api.x.com");

    public XConfig {
        if (credentials == null) {
            throw new IllegalArgumentException("X needs credentials");
        }
        apiBase = apiBase == null ? DEFAULT_API : apiBase;
        uploadBase = uploadBase == null ? apiBase : uploadBase;
        for (URI u : new URI[] {apiBase, uploadBase}) {
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw new IllegalArgumentException("an X base URL must be http(s)://host[:port], got '" + u + "'");
            }
        }
        if (poll == null || poll.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--x-poll must be at least 100ms, got " + poll);
        }
        if (backlog == null || backlog.isNegative()) {
            throw new IllegalArgumentException("--x-backlog must be >= 0, got " + backlog);
        }
        if (monthlyReads < 0 || monthlyPosts < 0) {
            throw new IllegalArgumentException("monthly X budgets must be >= 0, got reads " + monthlyReads + ", posts "
                    + monthlyPosts);
        }
    }
}
