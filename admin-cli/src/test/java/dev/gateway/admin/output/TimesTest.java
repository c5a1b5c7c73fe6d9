package dev.gateway.admin.output;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class TimesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.900Z");

    @ParameterizedTest
    @CsvSource({"2025-06-01T10:00:00Z, 2025-06-01T10:00:00Z",
                "2025-06-01T10:00:00.123456789Z, 2025-06-01T10:00:00Z",
                "2025-06-01T10:00:00.5Z, 2025-06-01T10:00:00Z",
                "2025-06-01T10:00:00+02:00, 2025-06-01T08:00:00Z",
                "2025-06-01T10:00:00., 2025-06-01T10:00:00.",
                "yesterday, yesterday"})
    void instantsAreShownInUtcToTheSecondAndOtherTextAsItIs(String stored, String shown) {
        assertThat(Times.instant(stored), is(shown));
    }

    @ParameterizedTest
    @CsvSource({"2025-06-01T11:59:18Z, 42s",
                "2025-06-01T11:54:48.999Z, 5m12s",
                "2025-06-01T08:56:00Z, 3h4m",
                "2025-05-30T07:00:00Z, 2d5h",
                "2025-06-01T12:00:05Z, 0s"})
    void agesTakeAtMostTwoUnits(String since, String age) {
        assertThat(Times.age(since, NOW), is(age));
    }

    @ParameterizedTest
    @CsvSource({"2025-13-01T10:00:00Z", "not a time"})
    void anUnreadableTimeHasNoAge(String since) {
        assertThat(Times.age(since, NOW), is(nullValue()));
    }

    @ParameterizedTest
    @CsvSource({"59, 59s", "60, 1m0s", "3600, 1h0m", "86400, 1d0h"})
    void unitsChangeAtTheirBoundaries(long seconds, String age) {
        assertThat(Times.age(Duration.ofSeconds(seconds)), is(age));
    }
}
