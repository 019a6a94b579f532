package dev.vqclip.contest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BallotTest {
    @Test
    void withOneVoteAClickOnAnotherEntryMovesTheVote() {
        Ballot.Click first = Ballot.click(List.of(), 7, 1);
        assertThat(first.kind()).isEqualTo(Ballot.Kind.ADDED);
        Ballot.Click moved = Ballot.click(first.votes(), 9, 1);
        assertThat(moved.kind()).isEqualTo(Ballot.Kind.MOVED);
        assertThat(moved.movedFrom()).isEqualTo(7L);
        assertThat(moved.votes()).containsExactly(9L);
    }

    @Test
    void aClickOnTheEntryVotedForTakesTheVoteBack() {
        Ballot.Click back = Ballot.click(List.of(4L, 5L), 4, 2);
        assertThat(back.kind()).isEqualTo(Ballot.Kind.TAKEN_BACK);
        assertThat(back.votes()).containsExactly(5L);
    }

    @Test
    void withNVotesANewEntryIsRefusedOnceAllAreUsedAndTheRefusalNamesTheRule() {
        Ballot.Click second = Ballot.click(List.of(1L), 2, 2);
        assertThat(second.votes()).containsExactly(1L, 2L);
        assertThatThrownBy(() -> Ballot.click(second.votes(), 3, 2)).isInstanceOf(ContestRefusal.class)
                .hasMessageContaining("votes per member").hasMessageContaining("2 votes");
    }
}
