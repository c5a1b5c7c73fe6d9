package dev.gateway.server;

import java.time.Clock;
import java.time.ZoneOffset;

import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.StartupException;

import io.helidon.logging.common.LogConfig;
import sun.misc.Signal;

/**
 * Starts one gateway node from the environment (PROTOCOL section 1) and stops it gracefully on SIGTERM or SIGINT,
 * exiting 0.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Gateway gateway;
        try {
            // whole milliseconds, as JavaScript's toISOString writes them: the timestamps in records, presence entries and
            // events are 12 characters shorter than with the system clock's microseconds (docs/DESIGN.md, "Redis memory")
            gateway = Gateway.start(EnvironmentAliases.load(System.getenv()), Clock.tickMillis(ZoneOffset.UTC));
        } catch (StartupException e) {
            System.err.println("gateway: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        // the JVM would exit 143 on SIGTERM after its hooks; handling the signal lets a graceful stop exit 0
        Signal.handle(new Signal("TERM"), signal -> stopAndExit(gateway));
        Signal.handle(new Signal("INT"), signal -> stopAndExit(gateway));
    }

    private static void stopAndExit(Gateway gateway) {
        gateway.stop();
        System.exit(0);
    }
}
