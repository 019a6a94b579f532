package dev.vqclip.store;

import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Changes;
import dev.vqclip.job.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Named settings in {@code sched_setting}; every write wakes the other processes, which re-read their rules. */
final class JdbcSettings implements Settings {
    private final Database db;
    private final Changes changes;

    JdbcSettings(Database db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    @Override
    public Optional<String> setting(String name) {
        return Sql.transaction(db, "read setting " + name, c -> settingIn(c, name));
    }

    static Optional<String> settingIn(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM sched_setting WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void putSetting(String name, String value) {
        Sql.transaction(db, "write setting " + name, c -> {
            int rows = update(c, "UPDATE sched_setting SET setting_value = ? WHERE name = ?", value, name);
            return rows == 0 ? update(c, "INSERT INTO sched_setting (name, setting_value) VALUES (?, ?)", name, value) : rows;
        });
        changes.signalChange();
    }

    @Override
    public boolean compareAndSetSetting(String name, String expected, String value) {
        boolean set;
        try {
            set = Sql.transaction(db, "write setting " + name, c -> expected == null
                    ? update(c, "INSERT INTO sched_setting (name, setting_value) VALUES (?, ?)", name, value) == 1
                    : update(c, "UPDATE sched_setting SET setting_value = ? WHERE name = ? AND setting_value = ?",
                            value, name, expected) == 1);
        } catch (StoreException e) {
            if (expected == null && Sql.isDuplicate(e)) {
                return false; // someone else wrote it first
            }
            throw e;
        }
        if (set) {
            changes.signalChange();
        }
        return set;
    }
}
