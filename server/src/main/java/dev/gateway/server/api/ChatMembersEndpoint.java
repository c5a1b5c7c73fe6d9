package dev.gateway.server.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeCommand;
import dev.gateway.protocol.store.NodeStore;

/**
 * {@code PUT} and {@code DELETE /api/v1/chats/{chatId}/members/{userId}}: the chat's member set, which
 * {@code CHAT_MEMBERSHIP=redis} admits by. A removed member also leaves the room at once: each node holding one of
 * the user's sockets in the chat gets a {@link NodeCommand.LeaveChat} and takes them out as {@code chat:leave} would
 * ({@code chat:user-left} when it was their last socket there). The answer waits, briefly, until Redis shows them
 * out (at most 2 s, and never longer than the Redis timeout), so that a backend's next message after the 204 does not
 * reach them.
 */
final class ChatMembersEndpoint {
    private static final System.Logger LOG = System.getLogger(ChatMembersEndpoint.class.getName());
    /** The longest a DELETE waits for the nodes to take the sockets out; the nodes carry on after it anyway. */
    static final Duration MAX_LEAVE_WAIT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 20;

    private final ChatStore chats;
    private final ConnectionStore connections;
    private final NodeStore nodes;
    private final Duration leaveWait;

    /** @param redisTimeout the wait stays within it, as the contract bounds a request without {@code timeoutMs} */
    ChatMembersEndpoint(ChatStore chats, ConnectionStore connections, NodeStore nodes, Duration redisTimeout) {
        this.leaveWait = redisTimeout.compareTo(MAX_LEAVE_WAIT) < 0 ? redisTimeout : MAX_LEAVE_WAIT;
        this.chats = chats;
        this.connections = connections;
        this.nodes = nodes;
    }

    ApiReply add(ApiRequest request) {
        chats.addMember(ApiFields.id("chatId", request.path("chatId")), ApiFields.id("userId", request.path("userId")));
        return ApiReply.noContent();
    }

    ApiReply remove(ApiRequest request) throws InterruptedException {
        String chatId = ApiFields.id("chatId", request.path("chatId"));
        String userId = ApiFields.id("userId", request.path("userId"));
        chats.removeMember(chatId, userId);
        List<String> joined = chats.joinedAmong(List.copyOf(connections.socketsOfUser(userId)), chatId);
        if (joined.isEmpty()) {
            return ApiReply.noContent();
        }
        Map<String, List<String>> byNode = connections.findAll(joined).stream()
                .collect(Collectors.groupingBy(ConnectionRecord::serverId, TreeMap::new,
                                               Collectors.mapping(ConnectionRecord::socketId, Collectors.toList())));
        byNode.forEach((nodeId, socketIds) -> {
            if (nodes.send(nodeId, new NodeCommand.LeaveChat(socketIds, chatId)) == 0) {
                // a dead node's sockets leave their chats when they are reaped
                LOG.log(System.Logger.Level.INFO, "event=leave-chat-undelivered node={0} chat={1}", nodeId, chatId);
            }
        });
        awaitLeft(joined, chatId);
        return ApiReply.noContent();
    }

    private void awaitLeft(List<String> socketIds, String chatId) throws InterruptedException {
        long deadline = System.nanoTime() + leaveWait.toNanos();
        List<String> inside = socketIds;
        while (!inside.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            inside = chats.joinedAmong(inside, chatId);
        }
        if (!inside.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "event=leave-chat-pending chat={0} sockets={1}", chatId,
                    Integer.toString(Set.copyOf(inside).size()));
        }
    }
}
