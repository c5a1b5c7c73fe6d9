package dev.gateway.server.observe;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class LogLineFormatterTest {
    private final LogLineFormatter formatter = new LogLineFormatter();

    @Test
    void aRecordIsOneLineOfUtcTimeLevelLoggerAndTheMessageWithItsParameters() {
        LogRecord record = record(Level.INFO, "event=connected user={0} socket={1}", "alice", "42");

        assertThat(formatter.format(record), is("2026-12-03T19:00:00.123Z INFO    dev.gateway.server.Test - "
                                                + "event=connected user=alice socket=42" + System.lineSeparator()));
    }

    @Test
    void aLevelAsLongAsTheColumnIsNotPadded() {
        assertThat(formatter.format(record(Level.WARNING, "event=slow")), startsWith("2026-12-03T19:00:00.123Z WARNING dev"));
    }

    @Test
    void aRecordWithAThrowableEndsWithItsStackTrace() {
        LogRecord record = record(Level.SEVERE, "event=unexpected");
        record.setThrown(new IllegalStateException("boom"));

        String line = formatter.format(record);

        assertThat(line, startsWith("2026-12-03T19:00:00.123Z SEVERE  dev.gateway.server.Test - event=unexpected"
                                    + System.lineSeparator() + "java.lang.IllegalStateException: boom"));
        assertThat(line, containsString("at dev.gateway.server.observe.LogLineFormatterTest"));
    }

    private static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.gateway.server.Test");
        record.setInstant(Instant.parse("2026-12-03T19:00:00.123456Z"));
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }
}
