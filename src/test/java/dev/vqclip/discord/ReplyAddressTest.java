package dev.vqclip.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.ReplyAddress;
import org.junit.jupiter.api.Test;

class DiscordReplyToTest {
    @Test
    void everyCardAddressSurvivesTheRoundTripThroughTheStore() {
        for (ReplyAddress a : new ReplyAddress[] {
                new ReplyAddress("1000000000000000001", "1000000000000000002", "1000000000000000003"),
                new ReplyAddress("1000000000000000001", "1000000000000000002", null),
                new ReplyAddress(null, "1000000000000000002", "1000000000000000003")}) {
            String stored = DiscordReplyTo.encode(a);
            assertThat(stored.length()).isLessThanOrEqualTo(512);
            assertThat(DiscordReplyTo.decode(stored)).contains(a);
        }
        assertThat(DiscordReplyTo.encode(new ReplyAddress(null, "2", null))).isEqualTo("discord:@me/2/-");
    }

    @Test
    void addressesOfOtherPlatformsAreNotCards() {
        assertThat(DiscordReplyTo.decode("https://example/x")).isEmpty();
        assertThat(DiscordReplyTo.decode("")).isEmpty();
        assertThat(DiscordReplyTo.decode(null)).isEmpty();
        assertThat(DiscordReplyTo.decode("discord:1/2")).isEmpty();
    }
}
