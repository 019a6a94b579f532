package dev.vqclip.twitter;

import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionLog;
import dev.vqclip.job.MentionState;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Recipe;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads mentions (every page since {@code since_id}; each stored before anything answers it, {@code since_id}
 * stored after them) and turns the new ones into jobs, skips or refusals.
 */
final class MentionIntake {
    private static final Logger log = LoggerFactory.getLogger(MentionIntake.class);
    static final String PLATFORM = XBudget.PLATFORM;
    static final String SINCE_ID = "x.since_id";
    private static final int BATCH = 50;

    private final XApi api;
    private final MentionLog mentions;
    private final JobService jobs;
    private final PromptRecipes recipes;
    private final XConfig config;
    private final XBudget budget;
    private final Clock clock;

    MentionIntake(XApi api, MentionLog mentions, JobService jobs, PromptRecipes recipes, XConfig config, XBudget budget,
                  Clock clock) {
        this.api = api;
        this.mentions = mentions;
        this.jobs = jobs;
        this.recipes = recipes;
        this.config = config;
        this.budget = budget;
        this.clock = clock;
    }

    void poll(XUser me) {
        if (!budget.available(XBudget.READS, "mention polling")) {
            return;
        }
        long left = budget.left(XBudget.READS);
        String since = jobs.settings().setting(SINCE_ID).orElse(null);
        Instant backlogStart = clock.instant().minus(config.backlog());
        String newest = null;
        String token = null;
        int added = 0;
        do {
            MentionPage page = api.mentions(me.id(), since, since == null ? backlogStart : null, token, (int) Math.min(100, left));
            budget.spend(XBudget.READS, page.resultCount());
            left -= page.resultCount();
            List<Mention> batch = new ArrayList<>();
            for (XPost p : page.posts()) {
                Instant at = p.createdAt() == null ? clock.instant() : p.createdAt();
                Mention m = Mention.fresh(PLATFORM, p.id(), p.authorId() == null ? "unknown" : p.authorId(),
                        p.authorUsername() == null ? null : "@" + p.authorUsername(), p.conversationId(), p.text(), at);
                if (p.retweet()) {
                    m = m.skipped("a repost");
                } else if (since == null && at.isBefore(backlogStart)) {
                    m = m.skipped("older than --x-backlog on the first start");
                }
                batch.add(m);
            }
            added += mentions.record(batch);
            if (newest == null) {
                newest = page.newestId();
            }
            token = page.nextToken();
            if (token != null && !budget.available(XBudget.READS, "mention polling")) {
                // older pages stay unread: keep since_id where it was, the next month reads them (stored ones dedupe)
                return;
            }
        } while (token != null);
        if (newest != null && (since == null || new BigInteger(newest).compareTo(new BigInteger(since)) > 0)) {
            jobs.settings().putSetting(SINCE_ID, newest);
        }
        if (added > 0) {
            log.info("X: {} new mention(s)", added);
        }
    }

    void handleNew(XUser me) {
        for (Mention m : mentions.inState(PLATFORM, MentionState.NEW, BATCH)) {
            String prompt = MentionText.prompt(m.text(), me.username());
            Optional<String> skip = skipReason(m, prompt, me);
            if (skip.isPresent()) {
                mentions.update(m.skipped(skip.get()), MentionState.NEW);
                continue;
            }
            Recipe recipe;
            try {
                recipe = recipes.recipe(prompt);
            } catch (IllegalArgumentException e) {
                mentions.update(m.refused(e.getMessage()), MentionState.NEW);
                continue;
            }
            UserRef user = new UserRef(PLATFORM, m.authorId(), m.authorName());
            SubmitResult result = jobs.submit(new JobRequest(user, recipe, PLATFORM + ":" + m.postId(), Lane.NORMAL, null,
                    PLATFORM + ":" + m.postId()));
            if (result instanceof SubmitResult.Accepted a) {
                mentions.update(m.queued(a.job().id()), MentionState.NEW);
                log.info("X: mention {} from {} queued as job {} at position {}", m.postId(), m.authorName(), a.job().id(),
                        a.position());
            } else {
                mentions.update(m.refused(((SubmitResult.Refused) result).reason()), MentionState.NEW);
            }
        }
    }

    private Optional<String> skipReason(Mention m, String prompt, XUser me) {
        if (m.authorId().equals(me.id())) {
            return Optional.of("the bot's own post");
        }
        if (prompt.isEmpty()) {
            return Optional.of("no prompt after the handles");
        }
        if (mentions.repliedInConversation(PLATFORM, m.conversationId()) && !MentionText.mentionsInBody(m.text(), me.username())) {
            return Optional.of("a reply in a thread the bot already answered, without a new prompt");
        }
        return Optional.empty();
    }
}
