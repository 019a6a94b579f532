package dev.vqclip.contest;

/**
 * One member's all-time standing in a server's contests.
 *
 * @param wins    contests won (first place with at least one vote)
 * @param podiums top-three places with at least one vote (wins included)
 * @param points  votes received in all closed contests
 */
public record LeaderRow(String memberKey, String memberName, int wins, int podiums, int points) {
    public String memberId() {
        int colon = memberKey.indexOf(':');
        return colon < 0 ? memberKey : memberKey.substring(colon + 1);
    }
}
