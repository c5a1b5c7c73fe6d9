package dev.gateway.protocol.event;

import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One decoded client frame: {@code {"event": "...", "data": {...}, "ack": 7}}.
 *
 * @param event event name
 * @param data  the data object, or an empty object node when the frame had none
 * @param ack   the ack id the client asked for, if any
 */
public record InboundFrame(String event, JsonNode data, OptionalLong ack) {
}
