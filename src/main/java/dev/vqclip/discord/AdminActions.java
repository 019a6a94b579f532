package dev.vqclip.discord;

import dev.vqclip.job.CommunityRules;
import dev.vqclip.job.Durations;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Limits;
import java.time.Duration;

/**
 * /admin over the job system: a server's administrators change their server's rules (layered over the global ones),
 * the bot's owners the global rules. Who may do which is the bot's check; this only acts and says what changed.
 * The composition root runs it behind {@link ImagineBackend#admin}, so the bot's tests can record commands instead.
 */
public final class AdminActions {
    private final JobService jobs;

    public AdminActions(JobService jobs) {
        this.jobs = jobs;
    }

    /** Acts on the rules of one server ({@code server}: its community rules, layered over the global ones). */
    public String server(AdminCommand command, CommunityRules server) {
        if (command instanceof AdminCommand.PauseQueue) {
            jobs.setPaused(server, true);
            return "⏸ This server's requests are paused: new jobs from here are refused; queued jobs go on.";
        } else if (command instanceof AdminCommand.ResumeQueue) {
            jobs.setPaused(server, false);
            return "▶ This server takes new jobs again.";
        } else if (command instanceof AdminCommand.Ban b) {
            jobs.setBanned(server, Requester.user(b.userId(), b.userId()), true);
            return "⛔ <@" + b.userId() + "> may no longer queue images from this server; their queued jobs stay queued.";
        } else if (command instanceof AdminCommand.Unban u) {
            return jobs.setBanned(server, Requester.user(u.userId(), u.userId()), false)
                    ? "✅ <@" + u.userId() + "> may queue images from this server again."
                    : "<@" + u.userId() + "> was not banned on this server.";
        } else if (command instanceof AdminCommand.SetLimits l) {
            Limits now;
            try {
                now = jobs.setLimits(server, l.maxRunning(), l.maxQueued(), quota(l));
            } catch (IllegalArgumentException e) {
                return "⚠ Limits unchanged: " + e.getMessage();
            }
            return "✅ Limits on this server now: " + describe(now);
        } else if (command instanceof AdminCommand.BlockWord w) {
            try {
                return jobs.blockWord(server, w.word()) ? "🚫 '" + w.word().strip() + "' is now refused in prompts on this server."
                        : "'" + w.word().strip() + "' was already blocked on this server.";
            } catch (IllegalArgumentException e) {
                return "⚠ " + e.getMessage();
            }
        } else {
            String word = ((AdminCommand.UnblockWord) command).word();
            return word != null && !word.isBlank() && jobs.unblockWord(server, word)
                    ? "✅ '" + word.strip() + "' is allowed on this server again."
                    : "'" + word + "' was not blocked by this server (words the bot's owners block stay blocked).";
        }
    }

    /** Acts on the global rules. */
    public String global(AdminCommand command) {
        if (command instanceof AdminCommand.PauseQueue) {
            jobs.setPaused(true);
            return "⏸ The queue is paused: new jobs are refused and queued jobs wait; running jobs finish.";
        } else if (command instanceof AdminCommand.ResumeQueue) {
            jobs.setPaused(false);
            return "▶ The queue takes new jobs again.";
        } else if (command instanceof AdminCommand.Ban b) {
            jobs.setBanned(Requester.user(b.userId(), b.userId()), true);
            return "⛔ <@" + b.userId() + "> may no longer queue images; their queued jobs stay queued.";
        } else if (command instanceof AdminCommand.Unban u) {
            jobs.setBanned(Requester.user(u.userId(), u.userId()), false);
            return "✅ <@" + u.userId() + "> may queue images again.";
        } else if (command instanceof AdminCommand.SetLimits l) {
            Limits now;
            try {
                now = jobs.setLimits(l.maxRunning(), l.maxQueued(), quota(l));
            } catch (IllegalArgumentException e) {
                return "⚠ Limits unchanged: " + e.getMessage();
            }
            return "✅ Limits now: " + describe(now);
        } else if (command instanceof AdminCommand.BlockWord w) {
            try {
                return jobs.blockWord(w.word()) ? "🚫 '" + w.word().strip() + "' is now refused in prompts."
                        : "'" + w.word().strip() + "' was already blocked.";
            } catch (IllegalArgumentException e) {
                return "⚠ " + e.getMessage();
            }
        } else {
            String word = ((AdminCommand.UnblockWord) command).word();
            return word != null && !word.isBlank() && jobs.unblockWord(word)
                    ? "✅ '" + word.strip() + "' is allowed again."
                    : "'" + word + "' was not blocked from Discord (words from the configuration stay blocked).";
        }
    }

    private static Duration quota(AdminCommand.SetLimits l) {
        return l.gpuSecondsPerWindow() == null ? null : Duration.ofMillis(Math.round(l.gpuSecondsPerWindow() * 1000));
    }

    private static String describe(Limits now) {
        return now.maxRunning() + " running and " + now.maxQueued() + " queued per user, "
                + now.gpuQuota().toSeconds() + " GPU-seconds per " + Durations.human(now.quotaWindow()) + ".";
    }
}
