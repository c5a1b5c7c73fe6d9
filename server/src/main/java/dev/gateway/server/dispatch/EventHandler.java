package dev.gateway.server.dispatch;

import java.util.Map;

import dev.gateway.protocol.event.ClientEvent;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.client.Client;

/** Handles one decoded client event: maps it to a service call and returns the ack fields beyond {@code success}. */
@FunctionalInterface
public interface EventHandler<E extends ClientEvent> {
    /**
     * @return fields of a successful ack (may be empty)
     * @throws ProtocolException for a refusal with its error code
     */
    Map<String, ?> handle(Client client, E event);
}
