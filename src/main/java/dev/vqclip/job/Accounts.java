package dev.vqclip.job;

import java.time.Duration;

/** Per-user state the scheduler charges and checks: load against the quota, bans, and the cost model's error. */
public interface Accounts {

    UserLoad userLoad(String userKey, Duration window);

    void setBanned(UserRef user, boolean banned);

    /** Actual ÷ estimated GPU time over the last {@code jobs} finished jobs (1 when none). */
    double costCalibration(int jobs);
}
