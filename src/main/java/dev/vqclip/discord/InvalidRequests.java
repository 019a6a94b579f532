package dev.vqclip.discord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bot's invalid requests as Cloudflare does (responses 401, 403 and 429, except 429s of a shared rate
 * limit) over a sliding 10-minute window: at 10,000 Discord bans the bot's IP address for an hour. A warning is
 * logged when the window passes {@value #WARN_AT}, far below that.
 */
final class InvalidRequests implements Interceptor {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int WARN_AT = 1_000;

    private final Clock clock;
    private final Deque<Instant> seen = new ArrayDeque<>();
    private long total;
    private boolean warned;

    InvalidRequests(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (isInvalid(response.code(), response.header("X-RateLimit-Scope"))) {
            record(chain.request().method() + " " + chain.request().url().encodedPath() + " -> " + response.code());
        }
        return response;
    }

    static boolean isInvalid(int status, String rateLimitScope) {
        return status == 401 || status == 403 || (status == 429 && !"shared".equals(rateLimitScope));
    }

    synchronized void record(String what) {
        Instant now = clock.instant();
        seen.addLast(now);
        total++;
        int inWindow = inWindow(now);
        if (inWindow >= WARN_AT && !warned) {
            warned = true;
            LOG.warn("{} invalid Discord requests in the last {} min (Cloudflare bans the IP at 10,000); latest: {}",
                    inWindow, WINDOW.toMinutes(), what);
        } else if (inWindow < WARN_AT / 2) {
            warned = false;
        }
    }

    /** Invalid requests in the last 10 minutes. */
    synchronized int lastWindow() {
        return inWindow(clock.instant());
    }

    /** Invalid requests since the bot started. */
    synchronized long total() {
        return total;
    }

    private int inWindow(Instant now) {
        Instant start = now.minus(WINDOW);
        while (!seen.isEmpty() && !seen.peekFirst().isAfter(start)) {
            seen.removeFirst();
        }
        return seen.size();
    }
}
