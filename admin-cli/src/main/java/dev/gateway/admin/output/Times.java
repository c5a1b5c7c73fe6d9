package dev.gateway.admin.output;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Times as tables show them: instants to the second in UTC, ages in at most two units.
 * <p>
 * The shape every node writes ({@code Instant.toString()}: {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}) is read by hand:
 * {@link Instant#parse} took half the time of a 100,000-row table. Anything else falls back to it.
 */
public final class Times {
    /** The length of {@code yyyy-MM-ddTHH:mm:ss}. */
    private static final int SECONDS_LENGTH = 19;

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
        if (isUtc(iso)) {
            return iso.length() == SECONDS_LENGTH + 1 ? iso : iso.substring(0, SECONDS_LENGTH) + "Z";
        }
        return parse(iso).map(Times::instant).orElse(iso);
    }

    public static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Time since an ISO-8601 instant ({@code 42s}, {@code 5m12s}, {@code 3h4m}, {@code 2d5h}); null if unknown. */
    public static String age(String since, Instant now) {
        if (isUtc(since)) {
            try {
                LocalDateTime time = LocalDateTime.of(digits(since, 0, 4), digits(since, 5, 7), digits(since, 8, 10),
                                                      digits(since, 11, 13), digits(since, 14, 16), digits(since, 17, 19));
                return age(Duration.ofSeconds(now.getEpochSecond() - time.toEpochSecond(ZoneOffset.UTC)));
            } catch (DateTimeException e) {
                return null;
            }
        }
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

    /** {@code yyyy-MM-ddTHH:mm:ss}, then {@code Z} or a fraction and {@code Z}. */
    private static boolean isUtc(String text) {
        if (text == null || text.length() < SECONDS_LENGTH + 1 || text.charAt(text.length() - 1) != 'Z') {
            return false;
        }
        for (int i = 0; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            boolean expected = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                case SECONDS_LENGTH -> c == '.' && text.length() > SECONDS_LENGTH + 2;
                default -> c >= '0' && c <= '9';
            };
            if (!expected) {
                return false;
            }
        }
        return true;
    }

    private static int digits(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }
}
