package dev.vqclip.job;

import java.time.Instant;

/** GPU time charged to a user at a moment (a job's actual cost, or its estimate until it ran). */
public record Charge(Instant at, long gpuMs) {
}
