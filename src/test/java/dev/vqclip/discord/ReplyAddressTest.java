package dev.vqclip.discord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyAddressTest {
    @Test
    void everyCardAddressSurvivesTheRoundTripThroughTheStore() {
        for (ReplyAddress a : new ReplyAddress[] {
                new ReplyAddress("1000000000000000001", "1000000000000000002", "1000000000000000003"),
                new ReplyAddress("1000000000000000001", "1000000000000000002", null),
                new ReplyAddress(null, "1000000000000000002", "1000000000000000003")}) {
            String stored = a.replyTo();
            assertThat(stored.length()).isLessThanOrEqualTo(512);
            assertThat(ReplyAddress.fromReplyTo(stored)).contains(a);
        }
        assertThat(new ReplyAddress(null, "2", null).replyTo()).isEqualTo("discord:@me/2/-");
    }

    @Test
    void addressesOfOtherPlatformsAreNotCards() {
        assertThat(ReplyAddress.fromReplyTo("https://example/x")).isEmpty();
        assertThat(ReplyAddress.fromReplyTo("")).isEmpty();
        assertThat(ReplyAddress.fromReplyTo(null)).isEmpty();
        assertThat(ReplyAddress.fromReplyTo("discord:1/2")).isEmpty();
    }
}
