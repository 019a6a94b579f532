package dev.vqclip.discord;

/** Operator actions behind Discord's Manage Server permission. */
public sealed interface AdminCommand {
    record PauseQueue() implements AdminCommand {
    }

    record ResumeQueue() implements AdminCommand {
    }

    record Ban(String userId) implements AdminCommand {
        public Ban {
            Snowflakes.require("banned user id", userId);
        }
    }

    record Unban(String userId) implements AdminCommand {
        public Unban {
            Snowflakes.require("unbanned user id", userId);
        }
    }

    /** Null fields keep their current value. */
    record SetLimits(Integer maxRunning, Integer maxQueued, Double gpuSecondsPerWindow) implements AdminCommand {
    }

    record BlockWord(String word) implements AdminCommand {
        public BlockWord {
            if (word == null || word.isBlank()) {
                throw new IllegalArgumentException("a blocked word must not be empty");
            }
        }
    }

    record UnblockWord(String word) implements AdminCommand {
    }
}
