package dev.gateway.admin.command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Output;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.EventStream;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.store.RedisKeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * {@code gatewayctl events}: the event stream {@code gw:events} (PROTOCOL section 10) as a table, or one JSON object
 * per line. It only reads (XRANGE, XREVRANGE, XREAD): it never joins or creates a consumer group, so it takes nothing
 * away from the workers.
 */
@Command(name = "events",
         description = {"Prints the event stream gw:events, oldest first: what the workers of the application's backend read"
                                + " (chat.message, user.online, user.offline, chat.user-joined, chat.user-left,"
                                + " socket.opened, socket.closed).",
                        "With -o json, one JSON object per line: {\"id\", \"type\", \"data\"}. With --follow, keeps"
                                + " printing new entries as they are appended, until interrupted (Ctrl-C)."},
         exitCodeList = {ExitCodes.HELP_OK, "1:nothing matched (without --follow)", ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl events --count 20",
                   "  gatewayctl events --type chat.message --since 10m -o json",
                   "  gatewayctl events --type user --follow",
                   "  gatewayctl events --since 1764670000000-0 -o json | jq -r .data.userId"})
public final class EventsCommand implements Callable<Integer> {
    /** Entries read per round trip. */
    private static final int PAGE = 1000;
    /** How long one XREAD blocks: short, so that an interrupt (and the Redis command timeout) is never waited on long. */
    private static final Duration BLOCK = Duration.ofMillis(1000);
    private static final List<String> TYPES = List.of(EventStream.CHAT_MESSAGE, EventStream.USER_ONLINE, EventStream.USER_OFFLINE,
                                                      EventStream.CHAT_USER_JOINED, EventStream.CHAT_USER_LEFT,
                                                      EventStream.SOCKET_OPENED, EventStream.SOCKET_CLOSED);
    /** {@code --type user} means every {@code user.*} type. */
    private static final Set<String> FAMILIES = Set.of("chat", "user", "socket");
    private static final String ROW = "%-17s  %-20s  %-16s  %s";

    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
            description = {"Only entries of these types (repeat it, or separate with commas): one of " + "chat.message,"
                                   + " user.online, user.offline, chat.user-joined, chat.user-left, socket.opened,"
                                   + " socket.closed, or a family: chat, user, socket."})
    private List<String> types = List.of();

    @Option(names = "--count", paramLabel = "N", description = "Only the newest N (matching) entries.")
    private Integer count;

    @Option(names = "--since", paramLabel = "ID|DURATION",
            description = "Only entries after this stream id (exclusive, as printed in the ID column), or appended within"
                    + " this long (500ms, 5s, 10m, 1h, 7d).")
    private String since;

    @Option(names = {"-f", "--follow"},
            description = "Then wait for new entries and print each as it is appended (XREAD BLOCK), until interrupted."
                    + " Without --count or --since, prints only new entries.")
    private boolean follow;

    /** One entry as {@code -o json} prints it; {@code data} is the entry's JSON (as text when it is not JSON). */
    record Event(String id, String type, JsonNode data) {
    }

    @Override
    public Integer call() throws InterruptedException {
        Set<String> wanted = wantedTypes();
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1, got " + count);
        }
        String after = after();
        RedisClient redis = gatewayctl.stores().client();
        Output output = gatewayctl.output();
        if (!output.json()) {
            output.line(String.format(ROW, "ID", "TIME", "TYPE", "DATA").stripTrailing());
        }
        // following: the history ends at the newest entry now, and following starts right after it, so that nothing
        // appended meanwhile is printed twice or missed
        String tail = follow ? lastId(redis) : "+";
        if (!follow || count != null || since != null) {
            List<StreamEntry> entries = count == null ? oldestFirst(redis, after, tail, wanted)
                                                      : newest(redis, after, tail, wanted, count);
            entries.forEach(entry -> print(output, entry));
            if (!follow) {
                return ExitCodes.matched(!entries.isEmpty());
            }
        }
        spec.commandLine().getOut().flush();
        return follow(redis, output, tail, wanted);
    }

    /** Prints new entries until the thread is interrupted (a test) or the process is (Ctrl-C). */
    private int follow(RedisClient redis, Output output, String last, Set<String> wanted) {
        StreamEntryID from = new StreamEntryID(last);
        XReadParams params = XReadParams.xReadParams().block((int) BLOCK.toMillis()).count(PAGE);
        while (!Thread.currentThread().isInterrupted()) {
            var read = redis.xread(params, Map.of(RedisKeys.EVENTS, from));
            if (read == null) {
                continue;
            }
            for (var stream : read) {
                for (StreamEntry entry : stream.getValue()) {
                    from = entry.getID();
                    if (matches(entry, wanted)) {
                        print(output, entry);
                    }
                }
            }
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    /** The matching entries after {@code after} (exclusive) up to {@code end} (inclusive, or {@code +}), oldest first. */
    private static List<StreamEntry> oldestFirst(RedisClient redis, String after, String end, Set<String> wanted) {
        List<StreamEntry> matched = new ArrayList<>();
        String start = exclusiveStart(after);
        while (true) {
            List<StreamEntry> page = redis.xrange(RedisKeys.EVENTS, start, end, PAGE);
            for (StreamEntry entry : page) {
                if (matches(entry, wanted)) {
                    matched.add(entry);
                }
            }
            if (page.size() < PAGE) {
                return matched;
            }
            start = "(" + page.getLast().getID();
        }
    }

    /**
     * The newest {@code count} matching entries after {@code after} (exclusive) up to {@code last} (inclusive, or
     * {@code +}), oldest first: read backwards, page by page.
     */
    private static List<StreamEntry> newest(RedisClient redis, String after, String last, Set<String> wanted, int count) {
        List<StreamEntry> matched = new ArrayList<>();
        String end = last;
        while (matched.size() < count) {
            List<StreamEntry> page = redis.xrevrange(RedisKeys.EVENTS, end, exclusiveStart(after), PAGE);
            for (StreamEntry entry : page) {
                if (matches(entry, wanted) && matched.size() < count) {
                    matched.add(entry);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            end = "(" + page.getLast().getID();
        }
        Collections.reverse(matched);
        return matched;
    }

    /** {@code -} for everything (Redis refuses nothing here, but {@code (0-0} reads oddly), else {@code (id}. */
    private static String exclusiveStart(String after) {
        return "0-0".equals(after) ? "-" : "(" + after;
    }

    private static String lastId(RedisClient redis) {
        List<StreamEntry> newest = redis.xrevrange(RedisKeys.EVENTS, "+", "-", 1);
        return newest.isEmpty() ? "0-0" : newest.getFirst().getID().toString();
    }

    private static boolean matches(StreamEntry entry, Set<String> wanted) {
        if (wanted.isEmpty()) {
            return true;
        }
        String type = entry.getFields().getOrDefault("type", "");
        return wanted.contains(type) || wanted.contains(type.substring(0, Math.max(0, type.indexOf('.'))));
    }

    private void print(Output output, StreamEntry entry) {
        String id = entry.getID().toString();
        String type = entry.getFields().getOrDefault("type", "");
        String data = entry.getFields().getOrDefault("data", "");
        if (output.json()) {
            output.line(json(new Event(id, type, parse(data))));
        } else {
            String time = Times.instant(java.time.Instant.ofEpochMilli(entry.getID().getTime()));
            output.line(String.format(ROW, id, time, type, data));
        }
    }

    private JsonNode parse(String data) {
        ObjectMapper mapper = gatewayctl.mapper();
        try {
            return mapper.readTree(data);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(data); // not JSON: written by something other than the gateway
        }
    }

    private String json(Event event) {
        try {
            return gatewayctl.mapper().writeValueAsString(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> wantedTypes() {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        for (String type : types) {
            String trimmed = type.trim();
            if (!TYPES.contains(trimmed) && !FAMILIES.contains(trimmed)) {
                throw new ParameterException(spec.commandLine(), "unknown event type '" + trimmed + "'; one of "
                        + String.join(", ", TYPES) + ", or a family: chat, user, socket");
            }
            wanted.put(trimmed, true);
        }
        return wanted.keySet();
    }

    /** The stream id after which to read (exclusive): from {@code --since}, else {@code 0-0} (everything). */
    private String after() {
        if (since == null) {
            return "0-0";
        }
        String value = since.trim();
        if (!value.isEmpty() && Character.isDigit(value.charAt(0)) && value.chars().allMatch(c -> Character.isDigit(c) || c == '-')) {
            if (value.indexOf('-') < 0 && value.length() < 13) {
                // a bare small number is more likely a forgotten unit than a time in 1970
                throw new ParameterException(spec.commandLine(), "'" + since + "' is neither a stream id (like"
                        + " 1764670000000-0) nor a duration (like 10m)");
            }
            return MessageId.parse(value.indexOf('-') < 0 ? value + "-0" : value)
                    .map(MessageId::toString)
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "'" + since + "' is not a stream id"));
        }
        Duration ago;
        try {
            ago = new DurationConverter().convert(value);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "'" + since + "' is neither a stream id (like 1764670000000-0)"
                    + " nor a duration (like 500ms, 5s, 10m, 1h)");
        }
        long from = gatewayctl.environment().clock().millis() - ago.toMillis();
        // exclusive: the last id of the millisecond before, so entries of millisecond `from` itself are included
        return Math.max(0, from - 1) + "-" + Long.toUnsignedString(-1L);
    }
}
