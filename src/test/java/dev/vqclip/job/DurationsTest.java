package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void showsTheTwoLargestUnitsAndDropsSecondsPastAnHour() {
        assertThat(Durations.human(Duration.ofMillis(45_900))).isEqualTo("45 s");
        assertThat(Durations.human(Duration.ofMinutes(5))).isEqualTo("5 min");
        assertThat(Durations.human(Duration.ofSeconds(330))).isEqualTo("5 min 30 s");
        assertThat(Durations.human(Duration.ofHours(24))).isEqualTo("24 h");
        assertThat(Durations.human(Duration.ofSeconds(2 * 3600 + 5 * 60 + 59))).isEqualTo("2 h 5 min");
    }

    @Test
    void anUnknownEstimateIsAQuestionMarkAndANegativeOneIsRefused() {
        assertThat(Durations.human(null)).isEqualTo("?");
        assertThatThrownBy(() -> Durations.human(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
    }
}
