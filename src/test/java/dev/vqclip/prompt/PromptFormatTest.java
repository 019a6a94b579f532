package dev.vqclip.prompt;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PromptFormatTest {

    private static final double NO_STOP = Double.NEGATIVE_INFINITY;

    @Test
    void writesTextColonWeightJoinedByPipes() {
        assertEquals("a fox in the snow:1.0 | watercolor:0.5 | blurry:-1.0:-0.9",
                PromptFormat.format(List.of(new WeightedPrompt("a fox in the snow"), new WeightedPrompt("watercolor", 0.5, NO_STOP),
                        new WeightedPrompt("blurry", -1, -0.9))));
    }

    @Test
    void writesTheStopWhenTheTextWouldLoseANumber() {
        assertEquals("ratio 1:2.0:1.0:-inf", PromptFormat.format(List.of(new WeightedPrompt("ratio 1:2.0"))));
        assertEquals("at 12:30:1.0", PromptFormat.format(List.of(new WeightedPrompt("at 12:30"))));
        assertEquals("room 101:2.0", PromptFormat.format(List.of(new WeightedPrompt("room 101", 2, NO_STOP))));
    }

    @Test
    void schedulesJoinPhrasesWithCarets() {
        PromptSchedule schedule = new PromptSchedule(List.of(List.of(new WeightedPrompt("a rose")),
                List.of(new WeightedPrompt("a tulip", 2, NO_STOP))), 100);

        assertEquals("a rose:1.0 ^ a tulip:2.0", PromptFormat.format(schedule));
    }

    @Test
    void noisePromptsAreSeedColonWeight() {
        assertEquals("12:0.5 | -7:1.0", PromptFormat.formatNoisePrompts(List.of(new NoisePrompt(12, 0.5), new NoisePrompt(-7, 1))));
    }

    @Test
    void numbersUseTheShortestExactForm() {
        assertEquals("1.0E-5", PromptFormat.number(1e-5));
        assertEquals("-0.0", PromptFormat.number(-0.0));
        assertEquals("-inf", PromptFormat.number(Double.NEGATIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> PromptFormat.number(Double.NaN));
    }
}
