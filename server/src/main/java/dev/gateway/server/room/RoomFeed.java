package dev.gateway.server.room;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.MessageId;

/**
 * What this node delivered of one local chat room's stored messages, and the catch-up after a gap in its
 * subscription (PROTOCOL section 4, "Delivery after a Redis outage").
 * <pre>
 *  opened ──► WAITING ──(channel subscribed)──► CATCHING_UP ──(stream read to its end, held messages delivered)──► LIVE
 *               ▲                                  │  ▲                                                            │
 *               └──────────(connection lost)───────┘  └──────────────(channel subscribed again)─────────────────────┘
 * </pre>
 * While not LIVE, what arrives on the channel is held; stored messages are read from the stream after
 * {@link #last}, then the held ones follow, skipping the ids at or below it. A stored message is delivered only when
 * its id is above the last delivered one, so a message is delivered once, in stream order, whichever path brought it.
 * Every transition takes the lock; the subscriber thread holds it only to compare ids or to hold a message.
 */
final class RoomFeed {
    /** Messages held per room while catching up; past it the stored ones are dropped and read from the stream. */
    static final int HELD_LIMIT = 10_000;

    /** What to do with a message that arrived on the channel. */
    enum Arrival {
        /** Deliver it now. */
        DELIVER,
        /** Kept until the catch-up ends. */
        HELD,
        /** Delivered already (caught up from the stream before it arrived): drop it. */
        DUPLICATE
    }

    /**
     * Where a catch-up starts.
     *
     * @param after the last delivered id: the stream is read after it
     * @param epoch the subscription the read belongs to; a later subscription makes the read's end not final
     */
    record Cursor(MessageId after, long epoch) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private MessageId last;
    private boolean subscribed;
    private boolean live;
    private boolean droppedStored;
    private long epoch;

    private record Held(RoomMessage message, MessageId id) {
    }

    /** The subscriber thread: a message arrived on the room's channel ({@code id} for a stored one, else null). */
    Arrival arrive(RoomMessage message, MessageId id) {
        lock.lock();
        try {
            if (!live) {
                hold(message, id);
                return Arrival.HELD;
            }
            if (id == null) {
                return Arrival.DELIVER;
            }
            if (last != null && !id.isAfter(last)) {
                return Arrival.DUPLICATE;
            }
            last = id;
            return Arrival.DELIVER;
        } finally {
            lock.unlock();
        }
    }

    /** The subscriber thread: the connection was lost; everything from now on is held until the catch-up. */
    void suspend() {
        lock.lock();
        try {
            subscribed = false;
            live = false;
            epoch++;
        } finally {
            lock.unlock();
        }
    }

    /** The subscriber thread: the room's channel is subscribed; a catch-up may now read the stream. */
    void subscribed() {
        lock.lock();
        try {
            subscribed = true;
            live = false;
            epoch++;
        } finally {
            lock.unlock();
        }
    }

    /** The newest id stored when the room was opened on this node: messages after it are this node's to deliver. */
    void baseline(MessageId id) {
        lock.lock();
        try {
            if (last == null) {
                last = id;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts over from {@code id} after the members were closed because the stream lost what they missed. */
    void rebase(MessageId id) {
        lock.lock();
        try {
            last = id;
        } finally {
            lock.unlock();
        }
    }

    /** Where a catch-up reads from; empty while the channel is not subscribed, the baseline unknown, or it is live. */
    Optional<Cursor> cursor() {
        lock.lock();
        try {
            return subscribed && !live && last != null ? Optional.of(new Cursor(last, epoch)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The catch-up read a stored message: true when it is to be delivered (it follows the last delivered one). */
    boolean advance(MessageId id) {
        lock.lock();
        try {
            if (last != null && !id.isAfter(last)) {
                return false;
            }
            last = id;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The catch-up read the stream to its end: delivers the held messages that follow and goes live, unless the
     * subscription changed meanwhile or stored messages were dropped from the hold (then the stream is read again).
     *
     * @return true when live
     */
    boolean goLive(long readEpoch, Consumer<RoomMessage> deliver) {
        lock.lock();
        try {
            if (!subscribed || live || readEpoch != epoch) {
                return live;
            }
            if (droppedStored) {
                droppedStored = false;
                return false;
            }
            // under the lock, so that nothing the subscriber thread receives overtakes what was held before it
            for (Held message : held) {
                if (message.id() == null) {
                    deliver.accept(message.message());
                } else if (last == null || message.id().isAfter(last)) {
                    last = message.id();
                    deliver.accept(message.message());
                }
            }
            held.clear();
            live = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void hold(RoomMessage message, MessageId id) {
        if (held.size() >= HELD_LIMIT) {
            // stored messages can be read again from the stream; the others (typing, joins) cannot, so they stay
            Iterator<Held> messages = held.iterator();
            while (messages.hasNext()) {
                if (messages.next().id() != null) {
                    messages.remove();
                    droppedStored = true;
                }
            }
            if (held.size() >= HELD_LIMIT) {
                held.pollFirst();
            }
        }
        held.addLast(new Held(message, id));
    }
}
