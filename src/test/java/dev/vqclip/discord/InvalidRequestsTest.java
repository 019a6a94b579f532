package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InvalidRequestsTest {
    @Test
    void unauthorisedForbiddenAndOwnRateLimitsCountButSharedRateLimitsDoNot() {
        assertTrue(InvalidRequests.isInvalid(401, null));
        assertTrue(InvalidRequests.isInvalid(403, null));
        assertTrue(InvalidRequests.isInvalid(429, "user"));
        assertFalse(InvalidRequests.isInvalid(429, "shared"));
        assertFalse(InvalidRequests.isInvalid(404, null));
        assertFalse(InvalidRequests.isInvalid(200, null));
    }

    @Test
    void theWindowForgetsRequestsOlderThanTenMinutes() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ManualClock clock = new ManualClock(start);
        InvalidRequests counter = new InvalidRequests(clock);
        counter.record("a");
        clock.set(start.plus(Duration.ofMinutes(6)));
        counter.record("b");
        assertEquals(2, counter.lastWindow());
        clock.set(start.plus(Duration.ofMinutes(11)));
        assertEquals(1, counter.lastWindow());
        assertEquals(2, counter.total());
    }
}
