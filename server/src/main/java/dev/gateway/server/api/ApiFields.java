package dev.gateway.server.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.Identifiers;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.event.EventFields;

/**
 * The validation rules of the server API (PROTOCOL section 9); every failure is a 400 whose message names the field.
 * The rules of the WebSocket events (section 4) are {@link EventFields}' and apply here unchanged.
 */
final class ApiFields {
    /** Event names backends may publish. */
    static final Pattern EVENT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** Names of the protocol's own frames: a client would take them for the gateway's. */
    static final Set<String> RESERVED_EVENTS = Set.of("ack", "error", "connected");
    static final int MAX_CONTENT = 4000;
    static final int MAX_CLIENT_MSG_ID = 64;
    static final int MAX_TYPE = 32;
    static final int MAX_DEVICE_ID = Identifiers.MAX_LENGTH;
    static final int MAX_MESSAGE_ID = 64;
    static final int DEFAULT_HISTORY = 50;
    static final int MAX_HISTORY = 100;
    static final int MAX_QUERY_IDS = 1000;
    static final int DEFAULT_ONLINE = 100;
    static final int MAX_ONLINE = 1000;
    static final long DEFAULT_TIMEOUT_MS = 5000;
    static final long MAX_TIMEOUT_MS = 60_000;

    private ApiFields() {
    }

    /** An event name backends may publish. */
    static String event(JsonNode body) {
        String event = rules(() -> EventFields.requiredString(body, "event", 64));
        if (!EVENT.matcher(event).matches()) {
            throw ApiError.validation("event", "must be 1..64 characters of [A-Za-z0-9._:-]");
        }
        if (RESERVED_EVENTS.contains(event)) {
            throw ApiError.validation("event", "must not be ack, error or connected (the protocol's own frames)");
        }
        return event;
    }

    /** An id of a path or query ({@code chatId}, {@code userId}): 1..128 characters of {@code [A-Za-z0-9._:@-]}. */
    static String id(String field, String value) {
        if (value == null || !Identifiers.isValid(value)) {
            throw ApiError.validation(field, "must be " + Identifiers.RULE);
        }
        return value;
    }

    /** A required id of the body. */
    static String id(JsonNode body, String field) {
        return rules(() -> EventFields.requiredId(body, field));
    }

    static String requiredString(JsonNode body, String field, int maxLength) {
        return rules(() -> EventFields.requiredString(body, field, maxLength));
    }

    static Optional<String> optionalString(JsonNode body, String field, int maxLength) {
        return rules(() -> EventFields.optionalString(body, field, maxLength));
    }

    /** {@code userIds}: 1..1000 ids. */
    static List<String> userIds(JsonNode body) {
        List<String> ids = rules(() -> EventFields.requiredIds(body, "userIds", MAX_QUERY_IDS));
        if (ids.isEmpty()) {
            throw ApiError.validation("userIds", "must hold at least one id");
        }
        return ids;
    }

    /** {@code beforeId} of a query: a message id above the smallest. */
    static Optional<String> beforeId(Optional<String> raw) {
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (raw.get().length() > MAX_MESSAGE_ID) {
            throw ApiError.validation("beforeId", "must be a message id such as 1732240000000-0");
        }
        MessageId id = MessageId.parse(raw.get()).orElseThrow(
                () -> ApiError.validation("beforeId", "must be a message id such as 1732240000000-0 (two integers below 2^64)"));
        if (id.equals(MessageId.MIN)) {
            throw ApiError.validation("beforeId", "must be above " + MessageId.MIN + " (no message precedes it)");
        }
        return Optional.of(id.toString());
    }

    /** A positive {@code limit} of a query, {@code fallback} when absent, capped at {@code max}. */
    static int limit(Optional<String> raw, int fallback, int max) {
        if (raw.isEmpty()) {
            return fallback;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw ApiError.validation("limit", "must be an integer");
        }
        if (limit < 1) {
            throw ApiError.validation("limit", "must be at least 1");
        }
        return Math.min(limit, max);
    }

    /** {@code timeoutMs}: 0..60000, default 5000. */
    static long timeoutMs(JsonNode body) {
        JsonNode node = body.get("timeoutMs");
        if (node == null || node.isNull()) {
            return DEFAULT_TIMEOUT_MS;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0 || node.asLong() > MAX_TIMEOUT_MS) {
            throw ApiError.validation("timeoutMs", "must be an integer from 0 to " + MAX_TIMEOUT_MS);
        }
        return node.asLong();
    }

    /** Runs one of {@link EventFields}' rules, its VALIDATION turned into a 400. */
    private static <T> T rules(Supplier<T> rule) {
        try {
            return rule.get();
        } catch (ProtocolException e) {
            throw ApiError.validation(e.getMessage());
        }
    }
}
