package dev.gateway.server.client;

/**
 * Hears what happens to a {@link Client} that its owner must act on. The client calls it from whichever thread saw
 * the event (its writer, its reader, a fan-out); a client has exactly one listener, its lifecycle.
 */
public interface ClientListener {
    /**
     * The client cannot go on (its outbox overflowed, a write failed): the listener ends it. May be called more than
     * once for one client; {@link Client#end} lets only the first end count.
     */
    void failed(Client client, DisconnectReason reason, String why);

    /** One text frame was written to the client's connection (called per frame, on the writer: keep it cheap). */
    void frameSent(Client client);
}
