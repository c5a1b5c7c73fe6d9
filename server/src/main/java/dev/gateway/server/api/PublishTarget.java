package dev.gateway.server.api;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.Identifiers;
import dev.gateway.protocol.store.Rooms;

/**
 * Where {@code POST /api/v1/publish} sends: a room ({@code chat:{chatId}}, {@code user:{userId}} or
 * {@code role:{roleContextId}}, ids as they are, unescaped), every socket of a user, or one device's.
 *
 * @param room     the room's name as the Redis layout spells it ({@link Rooms})
 * @param userId   the user, for a target of a user's device
 * @param deviceId only the sockets of this device of {@code userId}
 */
record PublishTarget(String room, Optional<String> userId, Optional<String> deviceId) {
    private static final int MAX_ID = Identifiers.MAX_LENGTH;

    /**
     * @throws ApiError 400 naming {@code target}, {@code target.room}, {@code target.userId} or {@code target.deviceId}
     */
    static PublishTarget parse(JsonNode body) {
        JsonNode target = body.get("target");
        if (target == null || target.isNull()) {
            throw ApiError.validation("target", "is required: {room}, {userId} or {userId, deviceId}");
        }
        if (!target.isObject()) {
            throw ApiError.validation("target", "must be an object: {room}, {userId} or {userId, deviceId}");
        }
        boolean hasRoom = present(target, "room");
        boolean hasUser = present(target, "userId");
        if (hasRoom == hasUser) {
            throw ApiError.validation("target", "must name exactly one of room and userId");
        }
        if (hasRoom) {
            if (present(target, "deviceId")) {
                throw ApiError.validation("target.deviceId", "goes with userId, not with room");
            }
            return new PublishTarget(room(text(target, "room", 6 + MAX_ID)), Optional.empty(), Optional.empty());
        }
        String userId = text(target, "userId", MAX_ID);
        if (!Identifiers.isValid(userId)) {
            throw ApiError.validation("target.userId", "must be " + Identifiers.RULE);
        }
        Optional<String> deviceId = present(target, "deviceId") ? Optional.of(text(target, "deviceId", MAX_ID)) : Optional.empty();
        return new PublishTarget(Rooms.user(userId), Optional.of(userId), deviceId);
    }

    /** {@code chat:ID}, {@code user:ID}, {@code role:ID}: the id after the first colon, whatever it holds. */
    private static String room(String name) {
        int colon = name.indexOf(':');
        String kind = colon < 0 ? "" : name.substring(0, colon);
        String id = colon < 0 ? "" : name.substring(colon + 1);
        if (!id.isEmpty() && Identifiers.isValid(id)) {
            switch (kind) {
                case "chat" -> {
                    return Rooms.chat(id);
                }
                case "user" -> {
                    return Rooms.user(id);
                }
                case "role" -> {
                    return Rooms.role(id);
                }
                default -> {
                    // refused below
                }
            }
        }
        throw ApiError.validation("target.room", "must be chat:{chatId}, user:{userId} or role:{roleContextId}, the id "
                + Identifiers.RULE);
    }

    private static boolean present(JsonNode target, String field) {
        JsonNode node = target.get(field);
        return node != null && !node.isNull();
    }

    private static String text(JsonNode target, String field, int maxLength) {
        JsonNode node = target.get(field);
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength) {
            throw ApiError.validation("target." + field, "must be a string of 1.." + maxLength + " characters");
        }
        return node.asText();
    }
}
