package dev.gateway.server.api;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.server.room.RoomPublisher;

/**
 * {@code POST /api/v1/publish}: one event to a room, a user or one device of a user, on every node, as
 * {@code gatewayctl emit} sends it (the same room channel and payload). Answers how many nodes held the target.
 */
final class PublishEndpoint {
    private final RoomPublisher publisher;
    private final FrameCodec codec;
    private final ObjectMapper mapper;
    private final int maxFrameBytes;

    PublishEndpoint(RoomPublisher publisher, FrameCodec codec, ObjectMapper mapper, int maxFrameBytes) {
        this.publisher = publisher;
        this.codec = codec;
        this.mapper = mapper;
        this.maxFrameBytes = maxFrameBytes;
    }

    ApiReply publish(ApiRequest request) {
        JsonNode body = request.body();
        PublishTarget target = PublishTarget.parse(body);
        String event = ApiFields.event(body);
        JsonNode data = body.has("data") ? body.get("data") : JsonNodeFactory.instance.objectNode();
        if (encodedLength(data) > maxFrameBytes) {
            throw ApiError.tooLarge("data", maxFrameBytes);
        }
        String frame = codec.encode(event, data);
        long nodes = target.deviceId().isPresent()
                     ? publisher.toDevice(target.userId().orElseThrow(), target.deviceId().get(), frame)
                     : publisher.toRoom(target.room(), frame);
        return ApiReply.ok(Map.of("nodes", nodes));
    }

    private int encodedLength(JsonNode data) {
        try {
            return mapper.writeValueAsBytes(data).length;
        } catch (JsonProcessingException e) {
            throw ApiError.validation("data", "is not writable as JSON");
        }
    }
}
