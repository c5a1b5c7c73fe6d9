package dev.gateway.server.room;

/**
 * The node's listening to rooms across nodes: it listens to a room's channel while it holds a member of the room.
 */
public interface RoomChannels {
    /**
     * Brings the listening for {@code room} in line with whether this node has local members now. Called after a
     * join or leave changed that; serialised by the implementation, so racing joins and leaves end consistent.
     */
    void reconcile(String room);
}
