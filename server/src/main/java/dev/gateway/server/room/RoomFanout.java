package dev.gateway.server.room;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.OutboundFrame;

/**
 * Delivers what arrives on a room channel to this node's members of the room. Runs on the pub/sub thread, one
 * message at a time, so every socket gets a room's messages in channel order; each delivery only queues the shared
 * frame on the socket's outbox and never waits for a socket.
 * <p>
 * Chat rooms keep a {@link RoomFeed}: the last stored message delivered, so that after a gap in the subscription
 * ({@link ChatCatchUp} reads the stream) every stored message is delivered once and in order. Other rooms
 * ({@code user:}, {@code role:}) and what is not stored (typing, read receipts) are not kept: what was published
 * while the subscription was down is lost for them.
 */
public final class RoomFanout implements RoomListener {
    private static final System.Logger LOG = System.getLogger(RoomFanout.class.getName());

    private final LocalRooms rooms;
    private final Map<String, RoomFeed> feeds = new ConcurrentHashMap<>();
    private final Consumer<String> catchUpRequests;

    /**
     * @param catchUpRequests asks for a chat room to be caught up from its stream (it must not block)
     */
    public RoomFanout(LocalRooms rooms, Consumer<String> catchUpRequests) {
        this.rooms = rooms;
        this.catchUpRequests = catchUpRequests;
    }

    @Override
    public void onMessage(String room, String payload) {
        RoomMessage message = RoomMessage.decode(payload);
        RoomFeed feed = feeds.get(room);
        if (feed == null) {
            deliver(room, message);
            return;
        }
        MessageId id = null;
        if (message.messageId().isPresent()) {
            id = MessageId.parse(message.messageId().get()).orElse(null);
            if (id == null) {
                LOG.log(System.Logger.Level.WARNING, "event=room-message-unreadable room={0} id={1}", room, message.messageId().get());
            }
        }
        if (feed.arrive(message, id) == RoomFeed.Arrival.DELIVER) {
            deliver(room, message);
        }
    }

    @Override
    public void onSubscribed(String room) {
        RoomFeed feed = feeds.get(room);
        if (feed != null) {
            feed.subscribed();
            catchUpRequests.accept(room);
        }
    }

    @Override
    public void onResubscribing() {
        for (RoomFeed feed : feeds.values()) {
            feed.suspend();
        }
    }

    /**
     * A chat room got its first local member: its feed holds what arrives until it is caught up; call
     * {@link #baseline} next.
     */
    void opened(String room) {
        if (RoomService.isChatRoom(room)) {
            feeds.computeIfAbsent(room, r -> new RoomFeed());
        }
    }

    /** The newest id stored when the room was opened: what follows is delivered to its members. */
    void baseline(String room, MessageId id) {
        RoomFeed feed = feeds.get(room);
        if (feed != null) {
            feed.baseline(id);
            catchUpRequests.accept(room);
        }
    }

    /** The room may have no local member any more: forget its feed then. */
    void closed(String room) {
        feeds.computeIfPresent(room, (r, feed) -> rooms.members(r).isEmpty() ? null : feed);
    }

    /** The feed of a local chat room, for its catch-up. */
    Optional<RoomFeed> feed(String room) {
        return Optional.ofNullable(feeds.get(room));
    }

    /** The local members of a room. */
    Iterable<Client> members(String room) {
        return rooms.members(room);
    }

    /** Queues the frame for every local member it is for. */
    void deliver(String room, RoomMessage message) {
        String except = message.exceptSocket().orElse(null);
        String device = message.onlyDevice().orElse(null);
        OutboundFrame frame = new OutboundFrame(message.frame());
        for (Client client : rooms.members(room)) {
            if ((except == null || !except.equals(client.socketId())) && (device == null || device.equals(client.deviceId()))) {
                client.send(frame);
            }
        }
    }
}
