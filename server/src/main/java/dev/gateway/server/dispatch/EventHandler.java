package dev.gateway.server.dispatch;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.client.Client;

/** Handles one client event: maps its data to a service call and returns the ack fields beyond {@code success}. */
@FunctionalInterface
public interface EventHandler {
    /**
     * @return fields of a successful ack (may be empty)
     * @throws ProtocolException for a refusal with its error code
     */
    Map<String, ?> handle(Client client, JsonNode data);
}
