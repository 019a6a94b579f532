package dev.vqclip.job;

import java.util.Optional;

/** Named values shared by every process on the store: runtime rules, the pause flag, adapters' cursors. */
public interface Settings {

    Optional<String> setting(String name);

    void putSetting(String name, String value);

    /** Writes {@code value} only if the setting still holds {@code expected} (null: absent); false otherwise. */
    boolean compareAndSetSetting(String name, String expected, String value);
}
