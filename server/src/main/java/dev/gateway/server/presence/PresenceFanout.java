package dev.gateway.server.presence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.config.GatewaySettings.PresenceNotify;
import dev.gateway.server.room.LocalRooms;

/**
 * Turns presence transitions into {@code presence:online} / {@code presence:offline} frames for the interested
 * sockets of this node: those following the user, and for offline also those sharing a chat room with the user's
 * last socket; or every socket with {@code PRESENCE_NOTIFY=all}. A user's own sockets never hear about that user.
 * Each frame is encoded once and shared by all its recipients.
 */
public final class PresenceFanout {
    private final PresenceInterest interest;
    private final LocalRooms rooms;
    private final ClientHub hub;
    private final FrameCodec codec;
    private final PresenceNotify notify;

    public PresenceFanout(PresenceInterest interest, LocalRooms rooms, ClientHub hub, FrameCodec codec,
                          PresenceNotify notify) {
        this.interest = interest;
        this.rooms = rooms;
        this.hub = hub;
        this.codec = codec;
        this.notify = notify;
    }

    /** A user went from no live socket to one (on any node). */
    public void online(String userId, String timestamp) {
        String frame = codec.encode(new ServerEvent.PresenceOnline(userId, timestamp));
        deliver(userId, frame, notify == PresenceNotify.ALL ? hub.all() : interest.watchers(userId));
    }

    /**
     * A user's last live socket ended (on any node).
     *
     * @param rooms  chat rooms the last socket had joined: their members here are told too
     */
    public void offline(String userId, String timestamp, OfflineReason reason, List<String> rooms) {
        String frame = codec.encode(new ServerEvent.PresenceOffline(userId, timestamp, reason));
        if (notify == PresenceNotify.ALL) {
            deliver(userId, frame, hub.all());
            return;
        }
        Set<Client> watchers = interest.watchers(userId);
        if (rooms.isEmpty()) {
            deliver(userId, frame, watchers);
            return;
        }
        Set<Client> recipients = new HashSet<>(watchers);
        for (String room : rooms) {
            recipients.addAll(this.rooms.members(room));
        }
        deliver(userId, frame, recipients);
    }

    private void deliver(String userId, String text, Iterable<Client> recipients) {
        OutboundFrame frame = new OutboundFrame(text);
        for (Client client : recipients) {
            if (!client.userId().equals(userId)) {
                client.send(frame);
            }
        }
    }
}
