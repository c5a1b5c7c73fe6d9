package dev.gateway.server.room;

import java.util.function.Function;

import dev.gateway.protocol.store.Rooms;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.server.client.Client;

/**
 * Rooms: every socket is in {@code user:{userId}} and, when its token names one, {@code role:{roleContextId}};
 * chat rooms are joined and left on request. A room spans nodes: this node listens to a room's channel while it
 * holds a member.
 */
public final class RoomService {
    private static final String CHAT_PREFIX = Rooms.chat("");

    private final LocalRooms local;
    private final RoomChannels channels;
    private final RoomFanout fanout;
    private final Function<String, MessageId> newestStored;

    /**
     * @param newestStored the id of the newest message stored in a chat (chatId to id), read when a chat room gets
     *                     its first local member: the node delivers what follows it
     */
    public RoomService(LocalRooms local, RoomChannels channels, RoomFanout fanout, Function<String, MessageId> newestStored) {
        this.local = local;
        this.channels = channels;
        this.fanout = fanout;
        this.newestStored = newestStored;
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

    /** Whether the room is a chat's, whose messages are stored. */
    public static boolean isChatRoom(String room) {
        return Rooms.isChat(room);
    }

    /** The chat id of a chat room (its name holds the id escaped, as every key does). */
    public static String chatIdOf(String room) {
        return RedisKeys.unescape(room.substring(CHAT_PREFIX.length()));
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

    /**
     * @return true when the socket was not in the room before
     * @throws RuntimeException when Redis cannot tell where a new chat room's stream ends; the socket is not in the
     *                          room then
     */
    public boolean join(Client client, String room) {
        boolean wasMember = client.rooms().contains(room);
        if (local.join(client, room)) {
            fanout.opened(room);
            channels.reconcile(room);
            if (isChatRoom(room)) {
                try {
                    // before the join is acked: whatever is stored after it reaches the socket, live or caught up
                    fanout.baseline(room, newestStored.apply(chatIdOf(room)));
                } catch (RuntimeException e) {
                    leave(client, room);
                    throw e;
                }
            }
        }
        return !wasMember;
    }

    /** @return true when the socket was in the room */
    public boolean leave(Client client, String room) {
        boolean wasMember = client.rooms().contains(room);
        if (local.leave(client, room)) {
            fanout.closed(room);
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
