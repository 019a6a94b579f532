package dev.vqclip.twitter;

import dev.vqclip.job.Settings;
import dev.vqclip.job.MentionLog;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What X bills, counted per calendar month (UTC) in the database: post reads and posts created. The limits are kept
 * as settings too, so {@code vqclip queue} can show how much is left from any process.
 */
public final class XBudget {
    private static final Logger log = LoggerFactory.getLogger(XBudget.class);
    static final String PLATFORM = "x";
    public static final String READS = "reads";
    public static final String POSTS = "posts";

    private final MentionLog mentions;
    private final Clock clock;
    private final long reads;
    private final long posts;
    private final Map<String, String> noticed = new ConcurrentHashMap<>();

    XBudget(MentionLog mentions, Settings settings, Clock clock, long reads, long posts) {
        this.mentions = mentions;
        this.clock = clock;
        this.reads = reads;
        this.posts = posts;
        settings.putSetting(setting(READS), Long.toString(reads));
        settings.putSetting(setting(POSTS), Long.toString(posts));
    }

    static String setting(String kind) {
        return "x.budget." + kind;
    }

    String month() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString();
    }

    String nextMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC)).plusMonths(1).atDay(1) + " 00:00 UTC";
    }

    long limit(String kind) {
        return kind.equals(READS) ? reads : posts;
    }

    long left(String kind) {
        return Math.max(0, limit(kind) - mentions.budgetUsed(PLATFORM, kind, month()));
    }

    /**
     * Whether some of the month's {@code kind} is left; when not, says once per month in the log that {@code what}
     * pauses until the month turns.
     */
    boolean available(String kind, String what) {
        if (left(kind) > 0) {
            return true;
        }
        String month = month();
        if (!month.equals(noticed.put(kind, month))) {
            log.warn("X: the monthly {} budget is spent ({} in {}); {} PAUSED until {}", kind, limit(kind), month, what,
                    nextMonth());
        }
        return false;
    }

    void spend(String kind, long units) {
        if (units > 0) {
            mentions.spend(PLATFORM, kind, month(), units);
        }
    }

    /** One line for {@code vqclip queue}; empty when the X adapter never ran against this database. */
    public static Optional<String> status(Settings settings, MentionLog mentions, Clock clock) {
        Optional<String> reads = settings.setting(setting(READS));
        Optional<String> posts = settings.setting(setting(POSTS));
        if (reads.isEmpty() || posts.isEmpty()) {
            return Optional.empty();
        }
        XBudget b = new XBudget(mentions, clock, Long.parseLong(reads.get()), Long.parseLong(posts.get()));
        String month = b.month();
        long r = mentions.budgetUsed(PLATFORM, READS, month);
        long p = mentions.budgetUsed(PLATFORM, POSTS, month);
        StringBuilder s = new StringBuilder("X budget " + month + ": " + r + " of " + b.reads + " post reads, " + p + " of "
                + b.posts + " posts");
        if (r >= b.reads) {
            s.append("; reads spent: mention polling PAUSED until ").append(b.nextMonth());
        }
        if (p >= b.posts) {
            s.append("; posts spent: replies PAUSED until ").append(b.nextMonth());
        }
        return Optional.of(s.toString());
    }

    private XBudget(MentionLog mentions, Clock clock, long reads, long posts) {
        this.mentions = mentions;
        this.clock = clock;
        this.reads = reads;
        this.posts = posts;
    }
}
