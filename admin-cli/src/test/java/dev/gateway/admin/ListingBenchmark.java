package dev.gateway.admin;

import java.io.File;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.PresenceEntry;
import dev.gateway.testsupport.TestRedis;

import picocli.CommandLine;

/**
 * A benchmark, not a test: how long {@code connections} takes over 100,000 connection records (issue 4: "list in a
 * few seconds"). Fills an embedded Redis through the gateway's own pipelined registration, then times the command
 * in-process (JIT warm after the first run) and, given the launcher's path, as an operator runs it.
 * <pre>
 * mvn -o -pl admin-cli package dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp admin-cli/target/test-classes:admin-cli/target/classes:$(cat admin-cli/target/test-cp.txt) \
 *     dev.gateway.admin.ListingBenchmark [records] [bin/gatewayctl]
 * </pre>
 */
public final class ListingBenchmark {
    private static final int BATCH = 1000;

    private ListingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (TestRedis redis = TestRedis.started()) {
            long started = System.nanoTime();
            fill(new ConnectionStore(redis.client(), Json.mapper()), records);
            System.out.printf("filled %,d records in %d ms%n", records, millis(started));
            for (int run = 1; run <= 3; run++) {
                time("in-process run " + run + ": connections -o json", redis, "connections", "-o", "json");
                time("in-process run " + run + ": connections (table)", redis, "connections");
            }
            if (args.length > 1) {
                launcher(args[1], redis, "connections", "-o", "json");
                launcher(args[1], redis, "connections");
            }
        }
    }

    private static void fill(ConnectionStore store, int records) {
        Instant now = Instant.now();
        List<ConnectionStore.Registration> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < records; i++) {
            String node = "gw-" + i % 4;
            ConnectionRecord record = new ConnectionRecord("user-" + i / 4, UUID.randomUUID().toString(), "member",
                                                           "device-" + i % 4, "Firefox on Linux", "Mozilla/5.0 (X11)",
                                                           "203.0.113." + i % 250, now.toString(), node);
            batch.add(new ConnectionStore.Registration(record, new PresenceEntry(node, now.toString(), now.toString())));
            if (batch.size() == BATCH || i == records - 1) {
                store.registerAll(batch, Duration.ofHours(1), now, false);
                batch.clear();
            }
        }
    }

    private static void time(String label, TestRedis redis, String... args) {
        CommandLine commandLine = GatewayCtl.commandLine(new Environment(Map.of("REDIS_URL", redis.url()), Clock.systemUTC()));
        CountingWriter out = new CountingWriter();
        commandLine.setOut(new PrintWriter(out));
        long started = System.nanoTime();
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        System.out.printf("%-45s %6d ms  exit %d  %,d chars%n", label, millis(started), exitCode, out.chars);
    }

    private static void launcher(String path, TestRedis redis, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(path));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("REDIS_URL", redis.url());
        long started = System.nanoTime();
        int exitCode = builder.start().waitFor();
        String label = new File(path).getName() + " " + String.join(" ", args);
        System.out.printf("%-45s %6d ms  exit %d%n", label, millis(started), exitCode);
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Discards the output, counting it, so that the terminal's speed is not what is measured. */
    private static final class CountingWriter extends Writer {
        private long chars;

        @Override
        public void write(char[] buffer, int offset, int length) {
            chars += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
