/**
 * Prompt contests: fixed render rules, entry and voting windows, blind ballots, results and leaderboards, stored
 * through the {@code ContestStore} port.
 */
package dev.vqclip.contest;
