package dev.vqclip.app;

import dev.vqclip.job.CostModel;
import dev.vqclip.job.Limits;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;

/** The scheduler's rules: per-user limits and quotas, the cost model, and the operators' moderation policy. */
public record SchedulerConfig(Limits limits, CostModel cost, PromptPolicy policy) {
    public SchedulerConfig {
        if (limits == null || cost == null || policy == null) {
            throw new IllegalArgumentException("limits, cost model and prompt policy must all be given, got "
                    + limits + ", " + cost + ", " + policy);
        }
    }

    /** What a process that only submits its own jobs uses: the default limits, costs and policy. */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(Limits.defaults(), CostModel.defaults(), PromptPolicy.defaults());
    }

    public Moderation moderation() {
        return new Moderation(policy);
    }
}
