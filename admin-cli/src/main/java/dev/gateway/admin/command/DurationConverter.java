package dev.gateway.admin.command;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as operators type them: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}, {@code 7d}. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Map<String, ChronoUnit> UNITS = Map.of("ms", ChronoUnit.MILLIS,
                                                                "s", ChronoUnit.SECONDS,
                                                                "m", ChronoUnit.MINUTES,
                                                                "h", ChronoUnit.HOURS,
                                                                "d", ChronoUnit.DAYS);

    @Override
    public Duration convert(String value) {
        Matcher matcher = FORMAT.matcher(value.trim());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 500ms, 5s, 1m or 1h");
        }
        return Duration.of(Long.parseLong(matcher.group(1)), UNITS.get(matcher.group(2)));
    }
}
