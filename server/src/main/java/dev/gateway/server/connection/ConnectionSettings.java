package dev.gateway.server.connection;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.StartupException;

import io.helidon.config.Config;

/**
 * Settings of the node's TCP connections (PROTOCOL section 4), under {@code gateway}.
 *
 * @param handshakeTimeout how long a connection may take to send its complete request headers
 *                         ({@code HANDSHAKE_TIMEOUT_MILLIS}, 10000) before it is closed
 * @param maxConnections   open TCP connections beyond which new ones are refused with 503 ({@code MAX_CONNECTIONS};
 *                         0, the default, means the process's file limit minus {@link #reserve})
 */
public record ConnectionSettings(Duration handshakeTimeout, int maxConnections) {

    /**
     * Reads the settings from the {@code gateway} node.
     *
     * @param redisPoolSize the Redis connections this node may open (they need file descriptors too)
     */
    public static ConnectionSettings create(Config gateway, int redisPoolSize) {
        long timeout = number(gateway, "handshake-timeout-millis", 10_000, 1);
        long max = number(gateway, "max-connections", 0, 0);
        int connections = max > 0 ? (int) Math.min(max, Integer.MAX_VALUE) : fromFileLimit(fileLimit(), redisPoolSize);
        return new ConnectionSettings(Duration.ofMillis(timeout), connections);
    }

    /**
     * The descriptors a node needs besides its client connections: about a hundred for the JVM (jars, the runtime
     * image, epoll and pipes, the log), one per pooled Redis connection and the subscriber's, with room to spare.
     */
    static int reserve(int redisPoolSize) {
        return 256 + redisPoolSize;
    }

    /** The cap for a file limit: the limit minus the reserve (at least half the limit; unlimited when unknown). */
    static int fromFileLimit(OptionalLong fileLimit, int redisPoolSize) {
        if (fileLimit.isEmpty() || fileLimit.getAsLong() <= 0) {
            return Integer.MAX_VALUE;
        }
        long limit = fileLimit.getAsLong();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(limit / 2, limit - reserve(redisPoolSize)));
    }

    /** The process's limit of open files ({@code ulimit -n}), when the platform tells it. */
    static OptionalLong fileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    private static long number(Config gateway, String key, long defaultValue, long min) {
        String raw = gateway.get(key).asString().orElse(Long.toString(defaultValue)).trim();
        try {
            long value = Long.parseLong(raw);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new StartupException(EnvironmentAliases.variableFor(key) + " must be an integer of at least " + min
                                           + ", got '" + raw + "'");
    }
}
