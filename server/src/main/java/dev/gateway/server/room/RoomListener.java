package dev.gateway.server.room;

/**
 * What the node's pub/sub connection tells the rooms. Every call comes from the subscriber thread, in the order the
 * connection saw things: a channel's subscription is confirmed before its first message.
 */
public interface RoomListener {
    /** A message arrived on a room's channel. */
    void onMessage(String room, String payload);

    /** The room's channel is subscribed: from now on every message published to the room arrives. */
    void onSubscribed(String room);

    /** The connection was lost and a new one is about to subscribe: what was published meanwhile did not arrive. */
    void onResubscribing();
}
