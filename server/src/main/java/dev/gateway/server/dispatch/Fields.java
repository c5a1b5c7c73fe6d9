package dev.gateway.server.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.ProtocolException;

/** Reads and validates the fields of an event's data; each failure names the field (error code VALIDATION). */
public final class Fields {
    /** User ids and chat ids: 1..128 characters of {@code [A-Za-z0-9._:@-]}. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private Fields() {
    }

    /** A required, non-empty string of at most {@code maxLength} characters. */
    public static String requiredString(JsonNode data, String field, int maxLength) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw ProtocolException.validation(field, "is required");
        }
        if (!node.isTextual()) {
            throw ProtocolException.validation(field, "must be a string");
        }
        String value = node.asText();
        if (value.isEmpty()) {
            throw ProtocolException.validation(field, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw ProtocolException.validation(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** An optional string of at most {@code maxLength} characters. */
    public static Optional<String> optionalString(JsonNode data, String field, int maxLength) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(requiredString(data, field, maxLength));
    }

    /** A required id of 1..128 characters of {@code [A-Za-z0-9._:@-]}. */
    public static String requiredId(JsonNode data, String field) {
        String value = requiredString(data, field, 128);
        if (!ID.matcher(value).matches()) {
            throw ProtocolException.validation(field, "must be 1..128 characters of [A-Za-z0-9._:@-]");
        }
        return value;
    }

    /** A required boolean. */
    public static boolean requiredBoolean(JsonNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw ProtocolException.validation(field, "is required");
        }
        if (!node.isBoolean()) {
            throw ProtocolException.validation(field, "must be a boolean");
        }
        return node.asBoolean();
    }

    /** An optional integer. */
    public static Optional<Integer> optionalInt(JsonNode data, String field) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ProtocolException.validation(field, "must be an integer");
        }
        return Optional.of(node.asInt());
    }

    /** A required array of ids, at most {@code maxItems} of them. */
    public static List<String> requiredIds(JsonNode data, String field, int maxItems) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            throw ProtocolException.validation(field, "is required");
        }
        if (!node.isArray()) {
            throw ProtocolException.validation(field, "must be an array of user ids");
        }
        if (node.size() > maxItems) {
            throw ProtocolException.validation(field, "must hold at most " + maxItems + " ids");
        }
        List<String> ids = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual() || !ID.matcher(item.asText()).matches()) {
                throw ProtocolException.validation(field, "must hold ids of 1..128 characters of [A-Za-z0-9._:@-]");
            }
            ids.add(item.asText());
        }
        return ids;
    }
}
