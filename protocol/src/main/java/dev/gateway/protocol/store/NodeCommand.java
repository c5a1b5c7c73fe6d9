package dev.gateway.protocol.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Commands published to one node on {@code gw:node:{nodeId}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = NodeCommand.Disconnect.class, name = "disconnect"),
               @JsonSubTypes.Type(value = NodeCommand.LeaveChat.class, name = "leave-chat")})
public sealed interface NodeCommand {

    /** Close these sockets with 4403 and the reason as the close reason. */
    record Disconnect(List<String> socketIds, String reason) implements NodeCommand {
    }

    /**
     * Take these sockets out of the chat's room as a {@code chat:leave} would ({@code chat:user-left} when it was their
     * user's last socket there): the server API's {@code DELETE /api/v1/chats/{chatId}/members/{userId}}. Sockets this
     * node does not hold, or that are not in the room, are skipped.
     */
    record LeaveChat(List<String> socketIds, String chatId) implements NodeCommand {
    }
}
