package dev.vqclip.job;

import java.util.List;

/**
 * A user's standing at submit time, read under the user's row lock so concurrent submits see each other.
 *
 * @param charges the user's charges inside the quota window, oldest first
 */
public record UserLoad(String userKey, int running, int queued, List<Charge> charges, boolean banned) {
    public UserLoad {
        charges = List.copyOf(charges);
    }

    public long chargedMs() {
        return charges.stream().mapToLong(Charge::gpuMs).sum();
    }
}
