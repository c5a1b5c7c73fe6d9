package dev.gateway.server.room;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gateway.server.client.Client;

/**
 * Room membership of this node's sockets: {@code user:{userId}}, {@code role:{roleContextId}},
 * {@code chat:{chatId}}. A room spans nodes; this is the local part of it.
 */
public final class LocalRooms {
    private final ConcurrentHashMap<String, Set<Client>> members = new ConcurrentHashMap<>();

    /**
     * Adds a socket to a room.
     *
     * @return true when the room had no local member before (the node must start listening to it)
     */
    public boolean join(Client client, String room) {
        if (!client.rooms().add(room)) {
            return false;
        }
        boolean[] first = new boolean[1];
        members.compute(room, (r, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet(1); // grows as members join; a user's room has one or two
                first[0] = true;
            }
            set.add(client);
            return set;
        });
        return first[0];
    }

    /**
     * Removes a socket from a room.
     *
     * @return true when the room has no local member any more (the node may stop listening to it)
     */
    public boolean leave(Client client, String room) {
        if (!client.rooms().remove(room)) {
            return false;
        }
        boolean[] last = new boolean[1];
        members.computeIfPresent(room, (r, set) -> {
            set.remove(client);
            last[0] = set.isEmpty();
            return last[0] ? null : set;
        });
        return last[0];
    }

    /** The local members of a room (empty when none). */
    public Set<Client> members(String room) {
        Set<Client> set = members.get(room);
        return set == null ? Set.of() : set;
    }

    /** Rooms with at least one local member. */
    public Set<String> rooms() {
        return members.keySet();
    }
}
