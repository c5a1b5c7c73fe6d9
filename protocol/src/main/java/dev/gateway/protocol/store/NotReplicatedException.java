package dev.gateway.protocol.store;

/**
 * A chat message the master stored (and published) but no replica confirmed within the wait: with replicated
 * durability it does not count as accepted, since losing the master now could lose it. A retry with the same
 * clientMsgId returns the same messageId, and is accepted once a replica confirms.
 */
public final class NotReplicatedException extends RuntimeException {
    private final transient ChatStore.Stored stored;

    public NotReplicatedException(ChatStore.Stored stored) {
        super("message " + stored.messageId() + " stored on the master, not confirmed by a replica", null, false, false);
        this.stored = stored;
    }

    /** What the master stored. */
    public ChatStore.Stored stored() {
        return stored;
    }
}
