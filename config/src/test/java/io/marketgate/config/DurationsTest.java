package io.marketgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "500ms, PT0.5S",
            "1s, PT1S",
            "15m, PT15M",
            "2h, PT2H",
            "1d, PT24H",
            "0s, PT0S",
            "' 30s ', PT30S",
            "10 s, PT10S",
            "PT1S, PT1S",
            "pt0.25s, PT0.25S",
            "P1D, PT24H",
            "PT1H30M, PT1H30M"
    })
    void parses_short_forms_and_iso_8601(String text, String expected) {
        // WHEN
        Duration parsed = Durations.parse(text);

        // THEN
        assertThat(parsed).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"fast", "1", "1.5s", "1sec", "s", "5 minutes", "PT", "P1X", "1S", "99999999999999999999d",
            "9999999999999999d"})
    void rejects_text_that_is_not_a_duration_and_names_the_accepted_forms(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a duration")
                .hasMessageContaining("500ms, 1s, 15m, 2h, 1d")
                .hasMessageContaining("PT1S");
    }

    @Test
    void rejects_a_negative_duration() {
        assertThatThrownBy(() -> Durations.parse("-PT1S"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'-PT1S' is negative");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "   "})
    void rejects_blank_text(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a duration is missing");
    }

    @Test
    void rejects_null() {
        assertThatThrownBy(() -> Durations.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a duration is missing");
    }

    @ParameterizedTest(name = "{0} is shown as {1}")
    @CsvSource({"PT0.5S, 500ms", "PT1S, 1s", "PT15M, 15m", "PT2H, 2h", "PT48H, 2d", "PT0S, 0s", "PT1.0005S, PT1.0005S"})
    void formats_in_the_shortest_exact_form_that_parses_back(String iso, String expected) {
        // GIVEN
        Duration duration = Duration.parse(iso);

        // WHEN
        String formatted = Durations.format(duration);

        // THEN
        assertThat(formatted).isEqualTo(expected);
        assertThat(Durations.parse(formatted)).isEqualTo(duration);
    }
}
