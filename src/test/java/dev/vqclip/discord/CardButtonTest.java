package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CardButtonTest {
    @Test
    void everyButtonsCustomIdDecodesToItselfAndItsJob() {
        for (CardButton b : CardButton.values()) {
            assertEquals(new CardButton.Press(b, "job-7:x"), CardButton.parse(b.customId("job-7:x")).orElseThrow());
        }
    }

    @Test
    void foreignOrMalformedIdsAreIgnored() {
        assertFalse(CardButton.parse("other:reroll:1").isPresent());
        assertFalse(CardButton.parse("vq:explode:1").isPresent());
        assertFalse(CardButton.parse("vq:reroll:").isPresent());
    }

    @Test
    void aJobIdTooLongForDiscordsCustomIdLimitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> CardButton.REROLL.customId("x".repeat(100)));
    }

    @Test
    void theTokenComesFromTheEnvironmentAndNeverPrints() {
        BotToken token = BotToken.fromEnvironmentOrFile(Map.of("DISCORD_TOKEN", "abc.def"), null);
        assertEquals("abc.def", token.reveal());
        assertFalse(token.toString().contains("abc"));
        assertTrue(new DiscordConfig(token, java.util.List.of(), DiscordConfig.DEFAULT_PREVIEW_INTERVAL, Map.of(),
                java.util.List.of(), DiscordEndpoints.DISCORD).toString().contains("redacted"));
    }
}
