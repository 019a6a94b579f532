package dev.vqclip.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules one community (a Discord server: scope {@code discord:<guild id>}) sets for its own members, kept in
 * the store's settings under {@code scope.<scope>.} and layered over the global rules: its blocked words add to the
 * global ones, its pause and bans refuse only its own submissions, and its limits may only be stricter than the
 * global ones (a community shares the GPUs with every other, so it cannot grant its members more).
 */
public final class CommunityRules {
    private static final Pattern SCOPE = Pattern.compile("[a-z]+:\\d{1,20}");
    private static final String PAUSED = "queue.paused";
    private static final String BANNED = "moderation.banned_users";

    private final String prefix;

    private CommunityRules(String scope) {
        this.prefix = "scope." + scope + ".";
    }

    /** @throws IllegalArgumentException when {@code scope} is not {@code platform:number} */
    public static CommunityRules of(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("a community scope is platform:number (e.g. discord:123), got '"
                    + scope + "'");
        }
        return new CommunityRules(scope);
    }

    /** The global limits tightened by this community's own. */
    Limits limits(Limits global, Settings store) {
        int running = Math.min(global.maxRunning(), intSetting(store, RuntimeRules.MAX_RUNNING).orElse(Integer.MAX_VALUE));
        int queued = Math.min(global.maxQueued(), intSetting(store, RuntimeRules.MAX_QUEUED).orElse(Integer.MAX_VALUE));
        Duration quota = store.setting(prefix + RuntimeRules.GPU_QUOTA_MS).map(v -> Duration.ofMillis(Long.parseLong(v)))
                .filter(q -> q.compareTo(global.gpuQuota()) < 0).orElse(global.gpuQuota());
        return global.withPerUser(running, queued).withQuota(quota, global.quotaWindow());
    }

    /**
     * Stores this community's limits (null keeps a field); a value above the global limit is refused, since it
     * would have no effect.
     */
    Limits setLimits(Limits global, Settings store, Integer maxRunning, Integer maxQueued, Duration gpuQuota) {
        Limits current = limits(global, store);
        Limits next = current.withPerUser(maxRunning == null ? current.maxRunning() : maxRunning,
                maxQueued == null ? current.maxQueued() : maxQueued)
                .withQuota(gpuQuota == null ? current.gpuQuota() : gpuQuota, current.quotaWindow());
        if (next.maxRunning() > global.maxRunning() || next.maxQueued() > global.maxQueued()
                || next.gpuQuota().compareTo(global.gpuQuota()) > 0) {
            throw new IllegalArgumentException("a server's limits can only be stricter than the bot's ("
                    + global.maxRunning() + " running, " + global.maxQueued() + " queued, "
                    + global.gpuQuota().toSeconds() + " GPU-seconds), got " + next.maxRunning() + " running, "
                    + next.maxQueued() + " queued, " + next.gpuQuota().toSeconds() + " GPU-seconds");
        }
        store.putSetting(prefix + RuntimeRules.MAX_RUNNING, Integer.toString(next.maxRunning()));
        store.putSetting(prefix + RuntimeRules.MAX_QUEUED, Integer.toString(next.maxQueued()));
        store.putSetting(prefix + RuntimeRules.GPU_QUOTA_MS, Long.toString(next.gpuQuota().toMillis()));
        return next;
    }

    /** The words this community blocked, on top of the global ones. */
    List<String> blockedWords(Settings store) {
        return lines(store, RuntimeRules.BLOCKED_WORDS);
    }

    boolean setBlocked(Settings store, String word, boolean blocked) {
        return update(store, RuntimeRules.BLOCKED_WORDS, RuntimeRules.validWord(word), blocked);
    }

    boolean paused(Settings store) {
        return store.setting(prefix + PAUSED).map(Boolean::parseBoolean).orElse(false);
    }

    void setPaused(Settings store, boolean paused) {
        store.putSetting(prefix + PAUSED, Boolean.toString(paused));
    }

    boolean banned(Settings store, UserRef user) {
        return lines(store, BANNED).contains(user.key());
    }

    boolean setBanned(Settings store, UserRef user, boolean banned) {
        return update(store, BANNED, user.key(), banned);
    }

    private List<String> lines(Settings store, String name) {
        return store.setting(prefix + name).map(v -> v.lines().filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }

    private boolean update(Settings store, String name, String line, boolean present) {
        return RuntimeRules.updateLines(store, prefix + name, line, present);
    }

    private Optional<Integer> intSetting(Settings store, String name) {
        return store.setting(prefix + name).map(Integer::parseInt);
    }

    @Override
    public String toString() {
        return prefix.substring("scope.".length(), prefix.length() - 1).toLowerCase(Locale.ROOT);
    }
}
