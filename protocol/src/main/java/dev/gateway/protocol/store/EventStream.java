package dev.gateway.protocol.store;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The event stream for backend workers (PROTOCOL section 10): the Redis Stream {@link RedisKeys#EVENTS}, whose
 * entries have the fields {@code type} and {@code data} (JSON).
 * <p>
 * Nothing here writes to Redis. Each entry is appended by the Lua script that stores the message or decides the
 * transition (register, unregister, expire-user, chat-send, chat-join, chat-leave), so a happening is in the stream
 * exactly once however many nodes notice it, and never when the script decides nothing happened. This class only
 * builds what those scripts get: the trim length ({@link #maxLenArgument()}, {@code 0} when the stream is off) and
 * each entry's {@code data}, finished in Java ({@code ""} when the stream is off, so that a disabled stream costs
 * neither the JSON nor the XADD).
 *
 * @param enabled whether entries are appended ({@code EVENTS=off} turns it off)
 * @param maxLen  the approximate length the stream is trimmed to ({@code XADD MAXLEN ~}), {@code EVENTS_MAXLEN}
 */
public record EventStream(boolean enabled, int maxLen) {
    /** {@code EVENTS_MAXLEN} when unset. */
    public static final int DEFAULT_MAXLEN = 100_000;
    /** The stream of the contract: on, trimmed to about {@link #DEFAULT_MAXLEN} entries. */
    public static final EventStream DEFAULT = new EventStream(true, DEFAULT_MAXLEN);
    /** No entries at all. */
    public static final EventStream OFF = new EventStream(false, DEFAULT_MAXLEN);

    /** The entry types of PROTOCOL section 10. */
    public static final String CHAT_MESSAGE = "chat.message";
    public static final String USER_ONLINE = "user.online";
    public static final String USER_OFFLINE = "user.offline";
    public static final String CHAT_USER_JOINED = "chat.user-joined";
    public static final String CHAT_USER_LEFT = "chat.user-left";
    public static final String SOCKET_OPENED = "socket.opened";
    public static final String SOCKET_CLOSED = "socket.closed";

    /** Close code of a socket that ended without a close frame reaching anyone (its node died): RFC 6455's 1006. */
    public static final int ABNORMAL_CLOSURE = 1006;

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String ID_PLACEHOLDER = "\u0000id\u0000";

    public EventStream {
        if (maxLen < 1) {
            throw new IllegalArgumentException("EVENTS_MAXLEN must be a positive integer, got " + maxLen);
        }
    }

    /**
     * Reads {@code EVENTS} ({@code on} by default, {@code off}) and {@code EVENTS_MAXLEN} from environment variables,
     * as gatewayctl does (the gateway reads the same names through its configuration).
     *
     * @throws IllegalArgumentException with a one-line reason when a value is not valid
     */
    public static EventStream fromEnvironment(Map<String, String> environment) {
        return of(Optional.ofNullable(environment.get("EVENTS")), Optional.ofNullable(environment.get("EVENTS_MAXLEN")));
    }

    /**
     * @param events {@code on} or {@code off} (case-insensitive; {@code true}/{@code false} too), empty or blank: on
     * @param maxLen a positive integer, empty or blank: {@link #DEFAULT_MAXLEN}
     * @throws IllegalArgumentException with a one-line reason when a value is not valid
     */
    public static EventStream of(Optional<String> events, Optional<String> maxLen) {
        boolean enabled = switch (events.map(String::trim).orElse("").toLowerCase(java.util.Locale.ROOT)) {
            case "", "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("EVENTS must be on or off, got '" + events.get().trim() + "'");
        };
        String rawMaxLen = maxLen.map(String::trim).orElse("");
        int length = DEFAULT_MAXLEN;
        if (!rawMaxLen.isEmpty()) {
            try {
                length = Integer.parseInt(rawMaxLen);
            } catch (NumberFormatException e) {
                length = 0;
            }
            if (length < 1) {
                throw new IllegalArgumentException("EVENTS_MAXLEN must be a positive integer, got '" + rawMaxLen + "'");
            }
        }
        return new EventStream(enabled, length);
    }

    /** The scripts' trim-length argument: {@code 0} when the stream is off (then they append nothing). */
    public String maxLenArgument() {
        return enabled ? Integer.toString(maxLen) : "0";
    }

    /** {@code user.online}. */
    public record UserOnline(String userId, String timestamp, String serverId) {
    }

    /** {@code user.offline}; {@code reason} is {@code disconnected} or {@code expired}, as {@code presence:offline}. */
    public record UserOffline(String userId, String timestamp, OfflineReason reason) {
    }

    /** {@code chat.user-joined} and {@code chat.user-left}. */
    public record ChatUser(String chatId, String userId) {
    }

    /** {@code socket.opened}. */
    public record SocketOpened(String socketId, String userId, String deviceId, String serverId, String timestamp) {
    }

    /**
     * {@code socket.closed}.
     *
     * @param code   the close code the socket ended with ({@link #ABNORMAL_CLOSURE} when its node died)
     * @param reason why, as the gateway's disconnect tag ({@code client-closed}, {@code operator}, {@code node-dead}, ...)
     */
    public record SocketClosed(String socketId, String userId, String deviceId, String serverId, String timestamp, int code,
                               String reason) {
    }

    /**
     * Why a socket ended, for its {@code socket.closed} entry.
     *
     * @param code   the close code
     * @param reason a short tag such as {@code client-closed}
     */
    public record Closure(int code, String reason) {
        /** A socket cleaned after its node died: nobody closed it, it lapsed. */
        public static final Closure NODE_DEAD = new Closure(ABNORMAL_CLOSURE, "node-dead");
    }

    /** The {@code data} of {@code socket.opened} for a socket registered at {@code now}, or {@code ""} when off. */
    public String socketOpened(ConnectionRecord c, Instant now) {
        return data(() -> new SocketOpened(c.socketId(), c.userId(), c.deviceId(), c.serverId(), now.toString()));
    }

    /** The {@code data} of {@code socket.closed}, or {@code ""} when off. */
    public String socketClosed(ConnectionRecord c, Closure closure, Instant now) {
        return data(() -> new SocketClosed(c.socketId(), c.userId(), c.deviceId(), c.serverId(), now.toString(), closure.code(),
                                           closure.reason()));
    }

    /** The {@code data} of {@code user.online}, or {@code ""} when off. */
    public String userOnline(String userId, Instant now, String serverId) {
        return data(() -> new UserOnline(userId, now.toString(), serverId));
    }

    /** The {@code data} of {@code user.offline}, or {@code ""} when off. */
    public String userOffline(String userId, Instant now, OfflineReason reason) {
        return data(() -> new UserOffline(userId, now.toString(), reason));
    }

    /** The {@code data} of {@code chat.user-joined} / {@code chat.user-left}, or {@code ""} when off. */
    public String chatUser(String chatId, String userId) {
        return data(() -> new ChatUser(chatId, userId));
    }

    /**
     * The {@code data} of {@code chat.message} split around the message id, which only the script knows: the script
     * appends {@code prefix .. id .. suffix}. Both are {@code ""} when off.
     *
     * @return {prefix, suffix}
     */
    public String[] chatMessage(String chatId, String senderId, String content, String type, Optional<String> clientMsgId,
                                String createdAt) {
        if (!enabled) {
            return new String[] {"", ""};
        }
        String json = json(new ChatMessage(ID_PLACEHOLDER, chatId, senderId, content, type, clientMsgId.orElse(null), createdAt));
        String placeholder = json(ID_PLACEHOLDER);
        int at = json.indexOf(placeholder);
        // the id is a JSON string: keep its quotes around the id the script puts between prefix and suffix
        return new String[] {json.substring(0, at + 1), json.substring(at + placeholder.length() - 1)};
    }

    private String data(java.util.function.Supplier<Object> value) {
        return enabled ? json(value.get()) : "";
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
