package dev.gateway.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The gateway's log line: {@code 2026-12-03T19:00:00.123Z INFO    dev.gateway.server.client.ClientLifecycle -
 * event=connected ...}, time in UTC, level padded to 7, logger, message; a stack trace only when the record carries
 * one (unexpected failures; expected ones are logged without).
 * <p>
 * Why not {@link java.util.logging.SimpleFormatter} with a format string: it asks every record for its source class,
 * which walks the caller's stack, and formats through {@code String.format}; in a connect storm, with one line per
 * connect and disconnect, that was about a tenth of the node's CPU (JFR, {@code run.sh connect-storm}). This formatter
 * never asks for the source.
 */
public final class LogLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int LEVEL_WIDTH = 7;

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(192);
        TIME.formatTo(record.getInstant(), line);
        String level = record.getLevel().getLocalizedName();
        line.append(' ').append(level);
        for (int i = level.length(); i < LEVEL_WIDTH; i++) {
            line.append(' ');
        }
        line.append(' ').append(record.getLoggerName()).append(" - ").append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
