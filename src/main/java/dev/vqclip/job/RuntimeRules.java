package dev.vqclip.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What operators change while the bot runs (per-user limits, the GPU quota, extra blocked words), kept in the
 * store's settings so every process applies the same rules and a restart keeps them. The configured values are
 * the base; a setting overrides its one field.
 */
final class RuntimeRules {
    static final String MAX_RUNNING = "limits.max_running";
    static final String MAX_QUEUED = "limits.max_queued";
    static final String GPU_QUOTA_MS = "limits.gpu_quota_ms";
    static final String BLOCKED_WORDS = "moderation.blocked_words";

    private RuntimeRules() {
    }

    /** {@code base} with the operators' overrides applied. */
    static Limits limits(Limits base, Settings store) {
        int running = intSetting(store, MAX_RUNNING).orElse(base.maxRunning());
        int queued = intSetting(store, MAX_QUEUED).orElse(base.maxQueued());
        Duration quota = store.setting(GPU_QUOTA_MS).map(v -> Duration.ofMillis(Long.parseLong(v))).orElse(base.gpuQuota());
        return base.withPerUser(running, queued).withQuota(quota, base.quotaWindow());
    }

    /**
     * Stores new limits after validating them together (null keeps a field).
     *
     * @throws IllegalArgumentException naming the rule when a value is out of range
     */
    static Limits setLimits(Limits base, Settings store, Integer maxRunning, Integer maxQueued, Duration gpuQuota) {
        Limits current = limits(base, store);
        Limits next = current.withPerUser(maxRunning == null ? current.maxRunning() : maxRunning,
                maxQueued == null ? current.maxQueued() : maxQueued)
                .withQuota(gpuQuota == null ? current.gpuQuota() : gpuQuota, current.quotaWindow());
        store.putSetting(MAX_RUNNING, Integer.toString(next.maxRunning()));
        store.putSetting(MAX_QUEUED, Integer.toString(next.maxQueued()));
        store.putSetting(GPU_QUOTA_MS, Long.toString(next.gpuQuota().toMillis()));
        return next;
    }

    /** Words operators blocked at run time, in the order they were added. */
    static List<String> blockedWords(Settings store) {
        return store.setting(BLOCKED_WORDS).map(v -> v.lines().filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }

    /** The word as stored: stripped, lower case; throws when it is empty, too long or not one line. */
    static String validWord(String word) {
        String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        if (w.isEmpty() || w.contains("\n") || w.length() > 100) {
            throw new IllegalArgumentException("a blocked word must be 1-100 characters on one line, got '" + word + "'");
        }
        return w;
    }

    static boolean setBlocked(Settings store, String word, boolean blocked) {
        return updateLines(store, BLOCKED_WORDS, validWord(word), blocked);
    }

    /**
     * Adds or removes one line of a line-list setting. Read, change, compare-and-set: two admins changing the list
     * at once both keep their change.
     */
    static boolean updateLines(Settings store, String key, String line, boolean present) {
        while (true) {
            Optional<String> stored = store.setting(key);
            Set<String> lines = new LinkedHashSet<>(stored.map(v -> v.lines().filter(l -> !l.isBlank()).toList())
                    .orElse(List.of()));
            boolean changed = present ? lines.add(line) : lines.remove(line);
            if (!changed) {
                return false;
            }
            if (store.compareAndSetSetting(key, stored.orElse(null), String.join("\n", new ArrayList<>(lines)))) {
                return true;
            }
        }
    }

    private static Optional<Integer> intSetting(Settings store, String name) {
        return store.setting(name).map(Integer::parseInt);
    }
}
