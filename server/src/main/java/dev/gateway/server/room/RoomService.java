package dev.gateway.server.room;

import dev.gateway.protocol.store.Rooms;
import dev.gateway.server.client.Client;

/**
 * Rooms: every socket is in {@code user:{userId}} and, when its token names one, {@code role:{roleContextId}};
 * chat rooms are joined and left on request. A room spans nodes: this node listens to a room's channel while it
 * holds a member.
 */
public final class RoomService {
    private final LocalRooms local;
    private final RoomChannels channels;

    public RoomService(LocalRooms local, RoomChannels channels) {
        this.local = local;
        this.channels = channels;
    }

    public static String userRoom(String userId) {
        return Rooms.user(userId);
    }

    public static String roleRoom(String roleContextId) {
        return Rooms.role(roleContextId);
    }

    public static String chatRoom(String chatId) {
        return Rooms.chat(chatId);
    }

    /** How many chats a socket has joined. */
    public static long chatsOf(Client client) {
        return client.rooms().stream().filter(Rooms::isChat).count();
    }

    /** Joins the rooms every socket is in. */
    public void joinPersonalRooms(Client client) {
        join(client, userRoom(client.userId()));
        client.principal().roleContextId().ifPresent(role -> join(client, roleRoom(role)));
    }

    /** @return true when the socket was not in the room before */
    public boolean join(Client client, String room) {
        boolean wasMember = client.rooms().contains(room);
        if (local.join(client, room)) {
            channels.reconcile(room);
        }
        return !wasMember;
    }

    /** @return true when the socket was in the room */
    public boolean leave(Client client, String room) {
        boolean wasMember = client.rooms().contains(room);
        if (local.leave(client, room)) {
            channels.reconcile(room);
        }
        return wasMember;
    }

    /**
     * Leaves every room on this node, for a socket that ended (Redis learnt of the chats it left when the socket
     * was unregistered).
     */
    public void leaveAllLocally(Client client) {
        for (String room : client.rooms().toArray(String[]::new)) {
            leave(client, room);
        }
    }

    public LocalRooms local() {
        return local;
    }
}
