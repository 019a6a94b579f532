package dev.vqclip.twitter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MentionTextTest {
    @Test
    void thePromptIsTheTextWithoutLeadingHandlesAndWithoutTheBotsHandle() {
        assertThat(MentionText.prompt("@vqclipbot a lighthouse at dusk", "vqclipbot")).isEqualTo("a lighthouse at dusk");
        assertThat(MentionText.prompt("@Alice @VQClipBot  a red fox | snow:0.5 ", "vqclipbot")).isEqualTo("a red fox | snow:0.5");
        assertThat(MentionText.prompt("@alice draw @vqclipbot a fox &amp; a hen &lt;3", "vqclipbot"))
                .isEqualTo("draw a fox & a hen <3");
        assertThat(MentionText.prompt("@alice a fox for @bob", "vqclipbot")).isEqualTo("a fox for @bob");
        assertThat(MentionText.prompt("@vqclipbot @alice ", "vqclipbot")).isEmpty();
        assertThat(MentionText.prompt("mail me@vqclipbot.example", "vqclipbot")).isEqualTo("mail me@vqclipbot.example");
    }

    @Test
    void theBotCountsAsMentionedInTheBodyOnlyAfterTheLeadingHandles() {
        assertThat(MentionText.mentionsInBody("@vqclipbot @alice thanks!", "vqclipbot")).isFalse();
        assertThat(MentionText.mentionsInBody("@alice thanks @VQClipBot, now a castle", "vqclipbot")).isTrue();
    }

    @Test
    void theReplyNamesPromptSeedAndJobAndFitsAPost() {
        assertThat(MentionText.reply("a lighthouse at dusk", 42, 1234)).isEqualTo("“a lighthouse at dusk” · seed 42 · #1234");
        String longOne = MentionText.reply("x".repeat(1000), Long.MAX_VALUE, 1L << 39);
        assertThat(longOne.codePointCount(0, longOne.length())).isLessThanOrEqualTo(MentionText.MAX_POST);
        assertThat(longOne).contains("…” · seed " + Long.MAX_VALUE + " · #" + (1L << 39));
        assertThat(MentionText.refusal("@alice", "r".repeat(500)).length()).isLessThanOrEqualTo(MentionText.MAX_POST);
        assertThat(MentionText.refusal("@alice", "the queue is full")).isEqualTo("@alice sorry, I can't draw that: the queue is full");
        assertThat(MentionText.failed("the model ran out of memory", 7)).isEqualTo("Sorry, no image this time: the model ran "
                + "out of memory · #7");
    }
}
