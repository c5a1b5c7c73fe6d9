package dev.gateway.server.node;

import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.store.Disconnection;
import dev.gateway.server.client.ClientLifecycle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeCommand;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;

/**
 * Carries out the commands other parties (gatewayctl, the server API on any node) publish to this node on {@code gw:node:{nodeId}}.
 */
public final class NodeCommandHandler implements Consumer<String> {
    private static final System.Logger LOG = System.getLogger(NodeCommandHandler.class.getName());

    private final ObjectMapper mapper;
    private final ClientHub hub;
    private final ClientLifecycle lifecycle;
    private final ConnectionStore connections;
    private final String nodeId;
    private final ExecutorService executor;
    private final Clock clock;
    private final BiConsumer<Client, String> leaveChat;

    /** @param leaveChat takes a socket out of a chat's room, as {@code chat:leave} does */
    public NodeCommandHandler(ObjectMapper mapper, ClientHub hub, ClientLifecycle lifecycle, ConnectionStore connections,
                              String nodeId, ExecutorService executor, Clock clock, BiConsumer<Client, String> leaveChat) {
        this.leaveChat = leaveChat;
        this.mapper = mapper;
        this.hub = hub;
        this.lifecycle = lifecycle;
        this.connections = connections;
        this.nodeId = nodeId;
        this.executor = executor;
        this.clock = clock;
    }

    @Override
    public void accept(String message) {
        NodeCommand command;
        try {
            command = mapper.readValue(message, NodeCommand.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable node command", e);
        }
        if (command instanceof NodeCommand.Disconnect disconnect) {
            String reason = disconnect.reason() == null || disconnect.reason().isBlank() ? Disconnection.DEFAULT_REASON
                                                                                           : disconnect.reason();
            for (String socketId : disconnect.socketIds()) {
                Optional<Client> client = hub.find(socketId);
                if (client.isPresent()) {
                    lifecycle.end(client.get(), DisconnectReason.OPERATOR, reason);
                } else {
                    executor.execute(() -> removeStale(socketId));
                }
            }
        } else if (command instanceof NodeCommand.LeaveChat leave) {
            for (String socketId : leave.socketIds()) {
                hub.find(socketId).ifPresent(client -> executor.execute(() -> leave(client, leave.chatId())));
            }
        }
    }

    private void leave(Client client, String chatId) {
        try {
            leaveChat.accept(client, chatId);
            LOG.log(System.Logger.Level.INFO, "event=chat-left-by-command socket={0} chat={1}", client.socketId(), chatId);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=chat-leave-failed socket={0} chat={1} error=\"{2}\"", client.socketId(),
                    chatId, e.getMessage());
        }
    }

    /** A record that names this node for a socket it does not hold (left over from a crash): remove it. */
    private void removeStale(String socketId) {
        try {
            Optional<ConnectionRecord> record = connections.find(socketId);
            if (record.isPresent() && record.get().serverId().equals(nodeId) && hub.find(socketId).isEmpty()) {
                connections.unregister(record.get(), OfflineReason.DISCONNECTED, clock.instant());
                LOG.log(System.Logger.Level.INFO, "event=stale-record-removed socket={0}", socketId);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=stale-record-removal-failed socket={0} error={1}", socketId, e.toString());
        }
    }
}
