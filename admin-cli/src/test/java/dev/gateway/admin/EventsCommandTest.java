package dev.gateway.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.StreamEntryID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class EventsCommandTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    /** {@link Fixture#T0} in epoch milliseconds: the entries below are appended then, a second apart. */
    private static final long T0 = Fixture.T0.toEpochMilli();
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @BeforeEach
    void fill() {
        append(0, "socket.opened", "{\"socketId\":\"s1\",\"userId\":\"alice\",\"deviceId\":\"web\",\"serverId\":\"gw-a\","
                + "\"timestamp\":\"2025-06-01T10:00:00Z\"}");
        append(1, "user.online", "{\"userId\":\"alice\",\"timestamp\":\"2025-06-01T10:00:00Z\",\"serverId\":\"gw-a\"}");
        append(2, "chat.user-joined", "{\"chatId\":\"c1\",\"userId\":\"alice\"}");
        append(3, "chat.message", "{\"id\":\"" + (T0 + 3000) + "-0\",\"chatId\":\"c1\",\"senderId\":\"alice\",\"content\":\"hi\","
                + "\"type\":\"text\",\"clientMsgId\":null,\"createdAt\":\"2025-06-01T10:00:03Z\"}");
        append(4, "user.offline", "{\"userId\":\"alice\",\"timestamp\":\"2025-06-01T10:00:04Z\",\"reason\":\"disconnected\"}");
    }

    private static void append(int second, String type, String data) {
        REDIS.client().xadd(RedisKeys.EVENTS, new StreamEntryID(T0 + second * 1000L, 0), Map.of("type", type, "data", data));
    }

    private static Cli.Result gatewayctl(String... args) {
        return Cli.run(Fixture.environment(REDIS), Fixture.CLOCK, args);
    }

    @Test
    void eventsPrintsTheStreamOldestFirstAsATable() {
        Cli.Result result = gatewayctl("events");

        assertThat(result.exitCode(), is(0));
        assertThat(result.err(), is(""));
        assertThat(result.lines(), contains(
                "ID                 TIME                  TYPE              DATA",
                "1748772000000-0    2025-06-01T10:00:00Z  socket.opened     {\"socketId\":\"s1\",\"userId\":\"alice\","
                        + "\"deviceId\":\"web\",\"serverId\":\"gw-a\",\"timestamp\":\"2025-06-01T10:00:00Z\"}",
                "1748772001000-0    2025-06-01T10:00:01Z  user.online       {\"userId\":\"alice\",\"timestamp\":"
                        + "\"2025-06-01T10:00:00Z\",\"serverId\":\"gw-a\"}",
                "1748772002000-0    2025-06-01T10:00:02Z  chat.user-joined  {\"chatId\":\"c1\",\"userId\":\"alice\"}",
                "1748772003000-0    2025-06-01T10:00:03Z  chat.message      {\"id\":\"1748772003000-0\",\"chatId\":\"c1\","
                        + "\"senderId\":\"alice\",\"content\":\"hi\",\"type\":\"text\",\"clientMsgId\":null,"
                        + "\"createdAt\":\"2025-06-01T10:00:03Z\"}",
                "1748772004000-0    2025-06-01T10:00:04Z  user.offline      {\"userId\":\"alice\",\"timestamp\":"
                        + "\"2025-06-01T10:00:04Z\",\"reason\":\"disconnected\"}"));
    }

    @Test
    void jsonPrintsOneObjectPerLineWithTheDataAsAnObject() throws Exception {
        Cli.Result result = gatewayctl("events", "-o", "json");

        assertThat(result.exitCode(), is(0));
        assertThat(result.lines().size(), is(5));
        JsonNode message = MAPPER.readTree(result.lines().get(3));
        assertThat(message.get("id").asText(), is("1748772003000-0"));
        assertThat(message.get("type").asText(), is("chat.message"));
        assertThat(message.get("data").get("content").asText(), is("hi"));
        assertThat(message.get("data").get("clientMsgId").isNull(), is(true));
    }

    @Test
    void dataThatIsNotJsonIsPrintedAsText() throws Exception {
        REDIS.flush();
        append(0, "custom", "not json");

        JsonNode entry = MAPPER.readTree(gatewayctl("events", "-o", "json").out());

        assertThat(entry.get("data").asText(), is("not json"));
    }

    @Test
    void typeKeepsOnlyThoseTypes() {
        Cli.Result result = gatewayctl("events", "--type", "user.online", "--type", "chat.message", "-o", "json");

        assertThat(types(result), contains("user.online", "chat.message"));
    }

    @Test
    void typeTakesCommasAndFamilies() {
        assertThat(types(gatewayctl("events", "--type", "user", "-o", "json")), contains("user.online", "user.offline"));
        assertThat(types(gatewayctl("events", "--type", "chat,socket.opened", "-o", "json")),
                   contains("socket.opened", "chat.user-joined", "chat.message"));
    }

    @Test
    void countKeepsTheNewestMatchingEntriesOldestFirst() {
        assertThat(types(gatewayctl("events", "--count", "2", "-o", "json")), contains("chat.message", "user.offline"));
        assertThat(types(gatewayctl("events", "--count", "1", "--type", "user", "-o", "json")), contains("user.offline"));
    }

    @Test
    void sinceAnIdIsExclusive() {
        assertThat(types(gatewayctl("events", "--since", "1748772002000-0", "-o", "json")),
                   contains("chat.message", "user.offline"));
    }

    @Test
    void sinceADurationCountsBackFromNow() {
        // the clock reads T0+10m: 9m57s ago is T0+3s, whose entry is included
        assertThat(types(gatewayctl("events", "--since", "597s", "-o", "json")), contains("chat.message", "user.offline"));
    }

    @Test
    void nothingMatchedPrintsTheHeaderAndExits1() {
        Cli.Result table = gatewayctl("events", "--type", "socket.closed");
        Cli.Result json = gatewayctl("events", "--type", "socket.closed", "-o", "json");

        assertThat(table.exitCode(), is(1));
        assertThat(table.lines(), contains("ID                 TIME                  TYPE              DATA"));
        assertThat(json.exitCode(), is(1));
        assertThat(json.out(), is(""));
    }

    @Test
    void anEmptyStreamExits1() {
        REDIS.flush();

        assertThat(gatewayctl("events", "-o", "json").exitCode(), is(1));
    }

    @Test
    void anUnknownTypeIsAUsageError() {
        Cli.Result result = gatewayctl("events", "--type", "chat.typing");

        assertThat(result.exitCode(), is(2));
        assertThat(result.out(), is(""));
        assertThat(result.errLines(), contains(startsWith("error: unknown event type 'chat.typing'; one of chat.message,")));
    }

    @Test
    void aSinceThatIsNeitherIdNorDurationIsAUsageError() {
        for (String since : List.of("soon", "5", "12x", "1748772002000-x")) {
            Cli.Result result = gatewayctl("events", "--since", since);

            assertThat(since, result.exitCode(), is(2));
            assertThat(since, result.err(), containsString("'" + since + "' is"));
        }
    }

    @Test
    void aCountBelowOneIsAUsageError() {
        Cli.Result result = gatewayctl("events", "--count", "0");

        assertThat(result.exitCode(), is(2));
        assertThat(result.err(), containsString("--count must be at least 1"));
    }

    @Test
    void anUnreachableRedisExits3() {
        Cli.Result result = Cli.run(Map.of("REDIS_URL", "redis://127.0.0.1:" + TestRedis.freePort()), Fixture.CLOCK,
                                    "events");

        assertThat(result.exitCode(), is(3));
        assertThat(result.errLines(), contains(startsWith("error: cannot reach Redis at redis://127.0.0.1:")));
    }

    @Test
    void followPrintsWhatIsAppendedUntilInterrupted() throws Exception {
        RecordingRun run = RecordingRun.start("events", "--follow", "--type", "chat.message", "-o", "json");
        // nothing old is printed without --count or --since; wait until the command follows, then append
        Thread.sleep(300);
        append(10, "user.online", "{\"userId\":\"bob\"}");
        append(11, "chat.message", "{\"id\":\"1748772011000-0\",\"content\":\"new\"}");

        List<String> lines = run.awaitLines(1, Duration.ofSeconds(10));
        Cli.Result result = run.stop();

        assertThat(result.exitCode(), is(0));
        assertThat(lines.size(), is(1));
        assertThat(MAPPER.readTree(lines.getFirst()).get("data").get("content").asText(), is("new"));
    }

    @Test
    void followWithCountPrintsTheNewestFirstThenWhatIsAppended() throws Exception {
        RecordingRun run = RecordingRun.start("events", "--follow", "--count", "1");
        run.awaitLines(2, Duration.ofSeconds(10));
        append(12, "socket.closed", "{\"socketId\":\"s1\"}");

        List<String> lines = run.awaitLines(3, Duration.ofSeconds(10));
        run.stop();

        assertThat(lines.get(0), startsWith("ID"));
        assertThat(lines.get(1), startsWith("1748772004000-0    2025-06-01T10:00:04Z  user.offline"));
        assertThat(lines.get(2), startsWith("1748772012000-0    2025-06-01T10:00:12Z  socket.closed"));
    }

    @Test
    void cleaningADeadNodesSocketAppendsItsEvents() throws Exception {
        REDIS.flush();
        new Fixture(REDIS).fill();
        REDIS.client().del(RedisKeys.EVENTS);

        assertThat(gatewayctl("disconnect", "--user", "carol").exitCode(), is(0));
        Cli.Result events = gatewayctl("events", "-o", "json");

        assertThat(types(events), contains("socket.closed", "user.offline"));
        JsonNode closed = MAPPER.readTree(events.lines().get(0)).get("data");
        assertThat(closed.get("socketId").asText(), is("carol-tablet-1"));
        assertThat(closed.get("code").asInt(), is(1006));
        assertThat(MAPPER.readTree(events.lines().get(1)).get("data").get("reason").asText(), is("expired"));
    }

    @Test
    void eventsOffKeepsGatewayctlsCleaningOutOfTheStream() {
        REDIS.flush();
        new Fixture(REDIS).fill();
        REDIS.client().del(RedisKeys.EVENTS);

        Cli.Result result = Cli.run(Map.of("REDIS_URL", REDIS.url(), "EVENTS", "off"), Fixture.CLOCK, "disconnect", "--user",
                                    "carol");

        assertThat(result.exitCode(), is(0));
        assertThat(REDIS.client().exists(RedisKeys.EVENTS), is(false));
    }

    @Test
    void aBadEventsSettingIsAUsageError() {
        Cli.Result result = Cli.run(Map.of("REDIS_URL", REDIS.url(), "EVENTS", "sometimes"), Fixture.CLOCK, "online");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines(), contains(startsWith("error: EVENTS must be on or off, got 'sometimes'")));
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        Cli.Result result = gatewayctl("events", "--help");

        assertThat(result.exitCode(), is(0));
        assertThat(result.out(), containsString("gatewayctl events --type user --follow"));
        assertThat(result.out(), containsString("1   nothing matched (without --follow)"));
    }

    private static List<String> types(Cli.Result result) {
        List<String> types = new ArrayList<>();
        for (String line : result.lines()) {
            try {
                types.add(MAPPER.readTree(line).get("type").asText());
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
        return types;
    }

    /** gatewayctl run on its own thread (as --follow blocks), its output read while it runs. */
    private static final class RecordingRun {
        private final Thread thread;
        private final java.io.StringWriter out = new java.io.StringWriter();
        private final java.io.StringWriter err = new java.io.StringWriter();
        private final AtomicReference<Integer> exitCode = new AtomicReference<>();

        private RecordingRun(String... args) {
            picocli.CommandLine commandLine = GatewayCtl.commandLine(new Environment(Fixture.environment(REDIS), Fixture.CLOCK));
            commandLine.setOut(new java.io.PrintWriter(out, true));
            commandLine.setErr(new java.io.PrintWriter(err, true));
            this.thread = Thread.ofPlatform().name("gatewayctl-follow").start(() -> exitCode.set(commandLine.execute(args)));
        }

        static RecordingRun start(String... args) {
            return new RecordingRun(args);
        }

        List<String> awaitLines(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                List<String> lines = lines();
                if (lines.size() >= count) {
                    return lines;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("expected " + count + " lines within " + timeout + ", got " + lines() + " " + err);
        }

        private List<String> lines() {
            synchronized (out) {
                return out.toString().lines().toList();
            }
        }

        Cli.Result stop() throws InterruptedException {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
            assertThat("still following", thread.isAlive(), is(false));
            return new Cli.Result(exitCode.get(), out.toString(), err.toString());
        }
    }
}
