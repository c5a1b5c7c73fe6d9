package dev.gateway.admin.output;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Times as tables show them: instants to the second in UTC, ages in at most two units. */
public final class Times {
    private Times() {
    }

    /** An ISO-8601 instant from Redis, if it is one. */
    public static Optional<Instant> parse(String iso) {
        if (iso == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 2025-06-01T10:00:00Z}; text that is no instant is shown as it is. */
    public static String instant(String iso) {
        return parse(iso).map(Times::instant).orElse(iso);
    }

    public static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Time since an ISO-8601 instant ({@code 42s}, {@code 5m12s}, {@code 3h4m}, {@code 2d5h}); null if unknown. */
    public static String age(String since, Instant now) {
        return parse(since).map(instant -> age(Duration.between(instant, now))).orElse(null);
    }

    public static String age(Duration age) {
        long s = Math.max(0, age.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d" + s % 86400 / 3600 + "h";
    }
}
