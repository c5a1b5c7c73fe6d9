package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A benchmark, not a test: what the event stream costs Redis per connect (register + unregister) and per chat
 * message, with {@code EVENTS} on and off. Counts the commands Redis ran ({@code INFO commandstats}, which counts the
 * commands inside scripts too) and the server-side time of the scripts ({@code usec} of EVALSHA), so the figures do
 * not depend on the round trip of this machine.
 * <pre>
 * mvn -o -pl protocol test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt
 * java -cp protocol/target/test-classes:protocol/target/classes:$(cat protocol/target/test-cp.txt) \
 *     dev.gateway.protocol.store.EventStreamBenchmark [connects] [messages]
 * </pre>
 */
public final class EventStreamBenchmark {
    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);

    private EventStreamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connects = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int port = TestRedis.freePort();
        RedisServer server = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        try (RedisClient redis = RedisClient.create("127.0.0.1", port)) {
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and Redis' script cache
                for (EventStream events : List.of(EventStream.OFF, new EventStream(true, EventStream.DEFAULT_MAXLEN))) {
                    run(redis, events, connects, messages, round == 1);
                }
            }
        } finally {
            server.stop();
        }
    }

    private static void run(RedisClient redis, EventStream events, int connects, int messages, boolean print) {
        ObjectMapper mapper = Json.mapper();
        ConnectionStore connections = new ConnectionStore(redis, mapper, events);
        ChatStore chats = new ChatStore(redis, Optional.empty(), events);
        redis.flushAll();
        Instant now = Instant.now();

        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        long started = System.nanoTime();
        for (int i = 0; i < connects; i++) {
            ConnectionRecord record = new ConnectionRecord("user-" + i, "s-" + i, "role", "web", "Firefox", "Mozilla/5.0",
                                                           "10.0.0.1", now.toString(), "node-a");
            connections.register(new ConnectionStore.Registration(record, new PresenceEntry("node-a", now.toString(),
                                                                                              now.toString())),
                                 PRESENCE_TTL, now, true, 100);
            connections.unregister(record, OfflineReason.DISCONNECTED, new EventStream.Closure(1000, "client-closed"), now);
        }
        long connectNanos = System.nanoTime() - started;
        Map<String, long[]> connectStats = commandStats(redis);

        redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            chats.send("c1", "user-1", "message number " + i + " with some text in it", "text", Optional.of("m" + i),
                       now.toString(), new FrameCodec.Split("{\"event\":\"chat:message\",\"data\":{\"id\":\"", "\"}}"));
        }
        long messageNanos = System.nanoTime() - started;
        Map<String, long[]> messageStats = commandStats(redis);
        if (!print) {
            return;
        }
        String label = events.enabled() ? "EVENTS=on " : "EVENTS=off";
        System.out.printf("%s connect+close: %5.1f commands, %5.1f us in scripts (Redis side), %6.1f us per cycle here%n",
                          label, perOp(total(connectStats, 0), connects), perOp(script(connectStats), connects),
                          connectNanos / 1000.0 / connects);
        System.out.printf("%s message:       %5.1f commands, %5.1f us in scripts (Redis side), %6.1f us per message here%n",
                          label, perOp(total(messageStats, 0), messages), perOp(script(messageStats), messages),
                          messageNanos / 1000.0 / messages);
        System.out.printf("%s commands per connect+close %s%n", label, calls(connectStats, connects));
        System.out.printf("%s commands per message       %s%n", label, calls(messageStats, messages));
        if (events.enabled()) {
            long[] xadd = messageStats.get("xadd");
            System.out.printf("XADD: %.1f us per call inside the message script (both streams)%n", xadd[1] / (double) xadd[0]);
            long length = redis.xlen(RedisKeys.EVENTS);
            Long bytes = redis.memoryUsage(RedisKeys.EVENTS, 0);
            System.out.printf("gw:events: %d entries, %d bytes (%.0f bytes per entry)%n", length, bytes, bytes / (double) length);
        }
    }

    /** Command name to {calls, usec}. */
    private static Map<String, long[]> commandStats(RedisClient redis) {
        Map<String, long[]> stats = new LinkedHashMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String name = line.substring("cmdstat_".length(), line.indexOf(':'));
            long calls = 0;
            long usec = 0;
            for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                String[] pair = field.split("=");
                if (pair[0].equals("calls")) {
                    calls = Long.parseLong(pair[1]);
                } else if (pair[0].equals("usec")) {
                    usec = Long.parseLong(pair[1]);
                }
            }
            if (!name.equals("config") && !name.equals("info")) {
                stats.put(name, new long[] {calls, usec});
            }
        }
        return stats;
    }

    /** Commands Redis ran, scripts counted once each and without the commands inside them being hidden. */
    private static long total(Map<String, long[]> stats, int index) {
        return stats.values().stream().mapToLong(value -> value[index]).sum();
    }

    private static long script(Map<String, long[]> stats) {
        return stats.entrySet().stream().filter(e -> e.getKey().startsWith("eval")).mapToLong(e -> e.getValue()[1]).sum();
    }

    private static double perOp(long value, int ops) {
        return value / (double) ops;
    }

    private static String calls(Map<String, long[]> stats, int ops) {
        StringBuilder text = new StringBuilder();
        stats.forEach((name, value) -> {
            double calls = value[0] / (double) ops;
            if (calls >= 0.01) {
                text.append(name).append('=').append(String.format("%.2f", calls)).append(' ');
            }
        });
        return text.toString().trim();
    }
}
