package dev.vqclip.job;

import dev.vqclip.prompt.ImagePrompt;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules a submission must pass before it becomes a row: moderation of every prompt and image source, then the
 * per-user, quota and queue-cap checks the store runs under the user's row lock. Each refusal is the sentence the
 * user reads, naming the limit and the value.
 */
final class AdmissionRules {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Moderation moderation;
    private final Settings settings;
    private final Clock clock;

    AdmissionRules(Moderation moderation, Settings settings, Clock clock) {
        this.moderation = moderation;
        this.settings = settings;
        this.clock = clock;
    }

    /** The first word or rule a prompt or image source breaks: the configured policy, run-time words, then {@code communityWords}. */
    Optional<String> moderate(Recipe recipe, List<String> communityWords) {
        List<String> extra = new ArrayList<>(RuntimeRules.blockedWords(settings));
        extra.addAll(communityWords);
        Moderation added = extra.isEmpty() ? null : new Moderation(PromptPolicy.defaults().withBlockedWords(extra));
        for (List<WeightedPrompt> phrase : recipe.prompts().phrases()) {
            for (WeightedPrompt p : phrase) {
                Optional<String> v = moderation.violation(p.text());
                if (v.isEmpty() && added != null) {
                    v = added.violation(p.text());
                }
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        for (ImagePrompt image : recipe.targetImages()) {
            Optional<String> v = moderation.violation(image.source());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The admission rules, evaluated by the store under the user's row lock. */
    Optional<String> admit(Limits limits, UserLoad user, QueueLoad queue, long estMs) {
        if (user.banned()) {
            return Optional.of("you are not allowed to queue images here; ask a moderator if this is a mistake");
        }
        if (queue.paused()) {
            return Optional.of("the queue is paused by an operator; try again later");
        }
        if (user.queued() >= limits.maxQueued()) {
            return Optional.of("you already have " + user.queued() + " jobs waiting (the limit is " + limits.maxQueued()
                    + "); wait for one to start or cancel one");
        }
        long quotaMs = limits.gpuQuota().toMillis();
        if (estMs > quotaMs) {
            return Optional.of("this job needs about " + seconds(estMs) + " GPU-seconds, more than your whole quota of "
                    + seconds(quotaMs) + " per " + Durations.human(limits.quotaWindow()) + "; ask for fewer iterations or a smaller size");
        }
        Instant windowStart = clock.instant().minus(limits.quotaWindow());
        List<Charge> inWindow = new ArrayList<>();
        for (Charge c : user.charges()) {
            if (c.at().isAfter(windowStart)) {
                inWindow.add(c);
            }
        }
        long used = inWindow.stream().mapToLong(Charge::gpuMs).sum();
        if (used + estMs > quotaMs) {
            // the oldest charges leave the window first: find when enough of them have left
            long freed = 0;
            Instant retryAt = null;
            for (Charge c : inWindow) {
                freed += c.gpuMs();
                if (used - freed + estMs <= quotaMs) {
                    retryAt = c.at().plus(limits.quotaWindow());
                    break;
                }
            }
            return Optional.of("your GPU quota is used (" + seconds(used) + " of " + seconds(quotaMs) + " GPU-seconds per "
                    + Durations.human(limits.quotaWindow()) + "; this job needs about " + seconds(estMs) + "); try again at "
                    + HHMM.format(retryAt == null ? clock.instant().plus(limits.quotaWindow()) : retryAt));
        }
        if (queue.queued() >= limits.queueCap()) {
            long waitMs = queue.queuedMs() / Math.max(1, queue.workers());
            return Optional.of("the queue is full (" + queue.queued() + " jobs waiting); try again in ~"
                    + Math.max(1, Math.round(waitMs / 60_000.0)) + " min");
        }
        return Optional.empty();
    }

    private static String seconds(long ms) {
        return Long.toString(Math.round(ms / 1000.0));
    }
}
