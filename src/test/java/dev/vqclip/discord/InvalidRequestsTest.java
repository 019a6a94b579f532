package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
        Instant[] now = {start};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        InvalidRequests counter = new InvalidRequests(clock);
        counter.record("a");
        now[0] = start.plus(Duration.ofMinutes(6));
        counter.record("b");
        assertEquals(2, counter.lastWindow());
        now[0] = start.plus(Duration.ofMinutes(11));
        assertEquals(1, counter.lastWindow());
        assertEquals(2, counter.total());
    }
}
