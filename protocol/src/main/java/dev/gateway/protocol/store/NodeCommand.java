package dev.gateway.protocol.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Commands published to one node on {@code gw:node:{nodeId}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes(@JsonSubTypes.Type(value = NodeCommand.Disconnect.class, name = "disconnect"))
public sealed interface NodeCommand {

    /** Close these sockets with 4403 and the reason as the close reason. */
    record Disconnect(List<String> socketIds, String reason) implements NodeCommand {
    }
}
