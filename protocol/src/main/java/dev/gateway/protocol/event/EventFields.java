package dev.gateway.protocol.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads and validates the fields of an event's data; each failure names the field (error code VALIDATION). The rules
 * of {@link ClientEvent}, which the server API applies to its bodies too.
 */
public final class EventFields {

    private EventFields() {
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

    /** A required id ({@link Identifiers}). */
    public static String requiredId(JsonNode data, String field) {
        String value = requiredString(data, field, Identifiers.MAX_LENGTH);
        if (!Identifiers.isValid(value)) {
            throw ProtocolException.validation(field, "must be " + Identifiers.RULE);
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
            if (!item.isTextual() || !Identifiers.isValid(item.asText())) {
                throw ProtocolException.validation(field, "must hold ids of " + Identifiers.RULE);
            }
            ids.add(item.asText());
        }
        return ids;
    }
}
