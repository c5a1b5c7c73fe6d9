package dev.gateway.server.presence;

import java.util.HashSet;
import java.util.Set;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.server.bus.DomainEvent.UserOffline;
import dev.gateway.server.bus.DomainEvent.UserOnline;
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

    public void onOnline(UserOnline event) {
        String frame = codec.encode(new ServerEvent.PresenceOnline(event.userId(), event.timestamp()));
        deliver(event.userId(), frame, notify == PresenceNotify.ALL ? hub.all() : interest.watchers(event.userId()));
    }

    public void onOffline(UserOffline event) {
        String frame = codec.encode(new ServerEvent.PresenceOffline(event.userId(), event.timestamp(), event.reason()));
        if (notify == PresenceNotify.ALL) {
            deliver(event.userId(), frame, hub.all());
            return;
        }
        Set<Client> watchers = interest.watchers(event.userId());
        if (event.rooms().isEmpty()) {
            deliver(event.userId(), frame, watchers);
            return;
        }
        Set<Client> recipients = new HashSet<>(watchers);
        for (String room : event.rooms()) {
            recipients.addAll(rooms.members(room));
        }
        deliver(event.userId(), frame, recipients);
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
