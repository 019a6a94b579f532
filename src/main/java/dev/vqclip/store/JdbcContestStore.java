package dev.vqclip.store;

import dev.vqclip.contest.Ballot;
import dev.vqclip.contest.Contest;
import dev.vqclip.contest.ContestRefusal;
import dev.vqclip.contest.ContestStore;
import dev.vqclip.contest.Entry;
import dev.vqclip.contest.EntrySource;
import dev.vqclip.contest.LeaderRow;
import dev.vqclip.contest.Leaderboard;
import dev.vqclip.contest.NewContest;
import dev.vqclip.contest.Phase;
import dev.vqclip.contest.RenderRules;
import dev.vqclip.contest.Results;
import dev.vqclip.contest.SeedRule;
import dev.vqclip.contest.Standing;
import dev.vqclip.contest.Vote;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Contests over JDBC (H2 or PostgreSQL), schema in {@code V40__contests.sql}. */
public final class JdbcContestStore implements ContestStore {
    private static final String CONTEST = "SELECT id, guild_id, channel_id, theme, vqgan, width, height, iterations, "
            + "cutn, seed_rule, seed, entries_per_member, votes_per_member, entry_end_ms, vote_end_ms, phase, "
            + "created_by, created_ms, order_seed, announcement_id, note FROM contest ";
    private static final String ENTRY = "SELECT id, contest_id, member_key, member_name, job_id, prompt, source, "
            + "created_ms, ballot_number, withdrawn FROM contest_entry ";

    private final Database db;

    public JdbcContestStore(Database db) {
        this.db = db;
    }

    private <T> T tx(String what, Sql.Work<T> work) {
        return Sql.transaction(db, what, work);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(Connection c, Row<T> row, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.read(rs));
            }
            return out;
        }
    }

    /** Locks the contest's row for the rest of the transaction and returns it. */
    private static Optional<Contest> lock(Connection c, long contestId) throws SQLException {
        return query(c, JdbcContestStore::contest, CONTEST + "WHERE id = ? FOR UPDATE", contestId).stream().findFirst();
    }

    // ---- writes --------------------------------------------------------------------------------------------

    @Override
    public Contest create(NewContest n, Instant createdAt, long orderSeed) {
        long id = tx("create a contest", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO contest (guild_id, channel_id, theme, vqgan, "
                    + "width, height, iterations, cutn, seed_rule, seed, entries_per_member, votes_per_member, "
                    + "entry_end_ms, vote_end_ms, phase, created_by, created_ms, order_seed) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                RenderRules r = n.rules();
                Object[] args = {n.guildId(), n.channelId(), n.theme(), r.vqgan(), r.width(), r.height(),
                        r.iterations(), r.cutn(), r.seedRule().name(), r.seed(), n.entriesPerMember(),
                        n.votesPerMember(), n.entryEnd().toEpochMilli(), n.voteEnd().toEpochMilli(),
                        Phase.ENTRIES.name(), n.createdBy(), createdAt.toEpochMilli(), orderSeed};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return contest(id).orElseThrow();
    }

    @Override
    public void setAnnouncement(long contestId, String messageId) {
        tx("record the announcement of contest " + contestId,
                c -> update(c, "UPDATE contest SET announcement_id = ? WHERE id = ?", messageId, contestId));
    }

    @Override
    public boolean setPhase(long contestId, Phase from, Phase to, String note) {
        return tx("move contest " + contestId + " to " + to, c -> update(c,
                "UPDATE contest SET phase = ?, note = COALESCE(?, note) WHERE id = ? AND phase = ?",
                to.name(), note, contestId, from.name()) == 1);
    }

    @Override
    public boolean reschedule(long contestId, Instant entryEnd, Instant voteEnd) {
        return tx("reschedule contest " + contestId, c -> update(c, "UPDATE contest SET entry_end_ms = ?, "
                        + "vote_end_ms = ? WHERE id = ? AND phase IN ('ENTRIES', 'VOTING')", entryEnd.toEpochMilli(),
                voteEnd.toEpochMilli(), contestId) == 1);
    }

    @Override
    public Optional<Entry> addEntry(long contestId, String memberKey, String memberName, long jobId, String prompt,
                                    EntrySource source, Instant at, int limit) {
        Optional<Long> id = tx("add an entry to contest " + contestId, c -> {
            Optional<Contest> contest = lock(c, contestId);
            if (contest.isEmpty() || contest.get().phase() != Phase.ENTRIES || !at.isBefore(contest.get().entryEnd())) {
                return Optional.empty();
            }
            long live = query(c, rs -> rs.getLong(1), "SELECT COUNT(*) FROM contest_entry WHERE contest_id = ? "
                    + "AND member_key = ? AND withdrawn = FALSE", contestId, memberKey).get(0);
            long sameJob = query(c, rs -> rs.getLong(1), "SELECT COUNT(*) FROM contest_entry WHERE contest_id = ? "
                    + "AND job_id = ?", contestId, jobId).get(0);
            if (live >= limit || sameJob > 0) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO contest_entry (contest_id, member_key, "
                    + "member_name, job_id, prompt, source, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                Object[] args = {contestId, memberKey, truncate(memberName, 100), jobId, truncate(prompt, 2000),
                        source.name(), at.toEpochMilli()};
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return Optional.of(keys.getLong(1));
                }
            }
        });
        return id.flatMap(this::entry);
    }

    @Override
    public void withdraw(long entryId) {
        tx("withdraw entry " + entryId, c -> update(c, "UPDATE contest_entry SET withdrawn = TRUE WHERE id = ?",
                entryId));
    }

    @Override
    public boolean openVoting(long contestId, List<Long> ballotOrder, String note) {
        return tx("open voting of contest " + contestId, c -> {
            Optional<Contest> contest = lock(c, contestId);
            if (contest.isEmpty() || contest.get().phase() != Phase.ENTRIES) {
                return false;
            }
            for (int i = 0; i < ballotOrder.size(); i++) {
                update(c, "UPDATE contest_entry SET ballot_number = ? WHERE id = ? AND contest_id = ?", i + 1,
                        ballotOrder.get(i), contestId);
            }
            update(c, "UPDATE contest SET phase = ?, note = COALESCE(?, note) WHERE id = ?", Phase.VOTING.name(),
                    note, contestId);
            return true;
        });
    }

    @Override
    public List<Long> votesOf(long contestId, String voterKey) {
        return tx("read votes", c -> votesOf(c, contestId, voterKey));
    }

    private static List<Long> votesOf(Connection c, long contestId, String voterKey) throws SQLException {
        return query(c, rs -> rs.getLong(1), "SELECT entry_id FROM contest_vote WHERE contest_id = ? AND voter_key = ? "
                + "ORDER BY id", contestId, voterKey);
    }

    @Override
    public Ballot.Click vote(long contestId, String voterKey, long entryId, int allowed, Instant at) {
        return tx("vote in contest " + contestId, c -> {
            Optional<Contest> contest = lock(c, contestId);
            if (contest.isEmpty() || contest.get().phase() != Phase.VOTING || !at.isBefore(contest.get().voteEnd())) {
                throw new ContestRefusal("voting window: contest " + contestId + " takes no votes now");
            }
            Ballot.Click click = Ballot.click(votesOf(c, contestId, voterKey), entryId, allowed);
            if (click.kind() == Ballot.Kind.TAKEN_BACK) {
                update(c, "DELETE FROM contest_vote WHERE contest_id = ? AND voter_key = ? AND entry_id = ?",
                        contestId, voterKey, entryId);
            } else {
                if (click.movedFrom() != null) {
                    update(c, "DELETE FROM contest_vote WHERE contest_id = ? AND voter_key = ? AND entry_id = ?",
                            contestId, voterKey, click.movedFrom());
                }
                update(c, "INSERT INTO contest_vote (contest_id, voter_key, entry_id, voted_ms) VALUES (?, ?, ?, ?)",
                        contestId, voterKey, entryId, at.toEpochMilli());
            }
            return click;
        });
    }

    @Override
    public List<Vote> votes(long contestId) {
        return tx("read the votes of contest " + contestId, c -> query(c,
                rs -> new Vote(rs.getString(1), rs.getLong(2)),
                "SELECT voter_key, entry_id FROM contest_vote WHERE contest_id = ? ORDER BY id", contestId));
    }

    @Override
    public Optional<Results> close(long contestId, String note) {
        return tx("close contest " + contestId, c -> {
            Optional<Contest> contest = lock(c, contestId);
            if (contest.isEmpty() || contest.get().phase() != Phase.VOTING) {
                return Optional.empty();
            }
            List<Entry> entries = query(c, JdbcContestStore::entry, ENTRY + "WHERE contest_id = ? ORDER BY id", contestId);
            List<Vote> votes = query(c, rs -> new Vote(rs.getString(1), rs.getLong(2)),
                    "SELECT voter_key, entry_id FROM contest_vote WHERE contest_id = ? ORDER BY id", contestId);
            update(c, "UPDATE contest SET phase = ?, note = COALESCE(?, note) WHERE id = ?", Phase.CLOSED.name(),
                    note, contestId);
            Contest closed = query(c, JdbcContestStore::contest, CONTEST + "WHERE id = ?", contestId).get(0);
            Results results = Results.rank(closed, entries, votes);
            for (Standing s : results.standings()) {
                update(c, "INSERT INTO contest_result (contest_id, place, entry_id, votes) VALUES (?, ?, ?, ?)",
                        contestId, s.rank(), s.entry().id(), s.votes());
            }
            return Optional.of(results);
        });
    }

    // ---- reads ---------------------------------------------------------------------------------------------

    @Override
    public Optional<Contest> contest(long id) {
        return tx("read contest " + id, c -> query(c, JdbcContestStore::contest, CONTEST + "WHERE id = ?", id))
                .stream().findFirst();
    }

    @Override
    public List<Contest> open(String guildId) {
        return tx("list open contests", c -> guildId == null
                ? query(c, JdbcContestStore::contest, CONTEST + "WHERE phase IN ('ENTRIES', 'VOTING') ORDER BY id")
                : query(c, JdbcContestStore::contest, CONTEST + "WHERE guild_id = ? AND phase IN ('ENTRIES', 'VOTING') "
                + "ORDER BY id", guildId));
    }

    @Override
    public List<Contest> recent(String guildId, int limit) {
        String first = "ORDER BY id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        return tx("list contests", c -> guildId == null
                ? query(c, JdbcContestStore::contest, CONTEST + first)
                : query(c, JdbcContestStore::contest, CONTEST + "WHERE guild_id = ? " + first, guildId));
    }

    @Override
    public List<Entry> entries(long contestId) {
        return tx("read the entries of contest " + contestId, c -> query(c, JdbcContestStore::entry,
                ENTRY + "WHERE contest_id = ? ORDER BY id", contestId));
    }

    private Optional<Entry> entry(long id) {
        return tx("read entry " + id, c -> query(c, JdbcContestStore::entry, ENTRY + "WHERE id = ?", id))
                .stream().findFirst();
    }

    @Override
    public Optional<Results> results(long contestId) {
        Optional<Contest> contest = contest(contestId);
        if (contest.isEmpty() || contest.get().phase() != Phase.CLOSED) {
            return Optional.empty();
        }
        Map<Long, Entry> entries = entries(contestId).stream().collect(Collectors.toMap(Entry::id, Function.identity()));
        List<Standing> standings = tx("read the results of contest " + contestId, c -> query(c,
                rs -> new Standing(rs.getInt(1), entries.get(rs.getLong(2)), rs.getInt(3)),
                "SELECT place, entry_id, votes FROM contest_result WHERE contest_id = ? ORDER BY place", contestId));
        return Optional.of(new Results(contest.get(), standings));
    }

    @Override
    public List<LeaderRow> leaderboard(String guildId) {
        List<Long> closed = tx("list closed contests", c -> query(c, rs -> rs.getLong(1),
                "SELECT id FROM contest WHERE guild_id = ? AND phase = 'CLOSED' ORDER BY id", guildId));
        List<Results> all = new ArrayList<>();
        for (long id : closed) {
            results(id).ifPresent(all::add);
        }
        return Leaderboard.of(all);
    }

    private static Contest contest(ResultSet rs) throws SQLException {
        RenderRules rules = new RenderRules(rs.getString("vqgan"), rs.getInt("width"), rs.getInt("height"),
                rs.getInt("iterations"), rs.getInt("cutn"), SeedRule.valueOf(rs.getString("seed_rule")),
                rs.getLong("seed"));
        return new Contest(rs.getLong("id"), rs.getString("guild_id"), rs.getString("channel_id"),
                rs.getString("theme"), rules, rs.getInt("entries_per_member"), rs.getInt("votes_per_member"),
                Instant.ofEpochMilli(rs.getLong("entry_end_ms")), Instant.ofEpochMilli(rs.getLong("vote_end_ms")),
                Phase.valueOf(rs.getString("phase")), rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_ms")), rs.getLong("order_seed"),
                rs.getString("announcement_id"), rs.getString("note"));
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        int ballot = rs.getInt("ballot_number");
        boolean unnumbered = rs.wasNull();
        return new Entry(rs.getLong("id"), rs.getLong("contest_id"), rs.getString("member_key"),
                rs.getString("member_name"), rs.getLong("job_id"), rs.getString("prompt"),
                EntrySource.valueOf(rs.getString("source")), Instant.ofEpochMilli(rs.getLong("created_ms")),
                unnumbered ? null : ballot, rs.getBoolean("withdrawn"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
