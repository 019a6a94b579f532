package dev.vqclip.contest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The all-time table of a server from its closed contests: wins, then podiums, then points. */
public final class Leaderboard {
    private Leaderboard() {
    }

    public static List<LeaderRow> of(List<Results> closed) {
        Map<String, int[]> table = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Results r : closed) {
            for (Standing s : r.standings()) {
                String key = s.entry().memberKey();
                names.put(key, s.entry().memberName());
                int[] row = table.computeIfAbsent(key, k -> new int[3]);
                if (s.votes() > 0 && s.rank() == 1) {
                    row[0]++;
                }
                if (s.votes() > 0 && s.rank() <= 3) {
                    row[1]++;
                }
                row[2] += s.votes();
            }
        }
        List<LeaderRow> rows = new ArrayList<>();
        table.forEach((key, v) -> rows.add(new LeaderRow(key, names.get(key), v[0], v[1], v[2])));
        rows.sort(Comparator.comparingInt(LeaderRow::wins).reversed()
                .thenComparing(Comparator.comparingInt(LeaderRow::podiums).reversed())
                .thenComparing(Comparator.comparingInt(LeaderRow::points).reversed())
                .thenComparing(LeaderRow::memberName));
        return rows;
    }
}
