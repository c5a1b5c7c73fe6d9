package dev.gateway.server.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.server.auth.Principal;

/**
 * One WebSocket connection of a user, on this node.
 * <pre>
 *  handshake ok ──► OPEN ──(client close / TCP drop / server close)──► CLOSING ──► gone
 *                    │  frames in: reader thread, one at a time
 *                    │  frames out: {@link Outbox}, one writer
 * </pre>
 * The fields read by other threads (fan-out, sweeper) are final, volatile or concurrent; everything else belongs to
 * the reader thread.
 */
public final class Client {
    private final ConnectionRecord record;
    private final Outbox outbox;
    private final TokenBucket rateLimit;
    private final Transport transport;
    private final Runnable onOverflow;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final Set<String> watchedUsers = ConcurrentHashMap.newKeySet();
    private final AtomicReference<DisconnectReason> ended = new AtomicReference<>();
    private volatile Principal principal;
    private volatile long lastPresencePingMillis;
    private volatile long lastInboundMillis;
    private volatile long closeStartedMillis;
    private volatile long lastServerPingMillis;

    /**
     * @param onOverflow called when a frame does not fit in the outbox: the owner closes the client (4503)
     */
    public Client(ConnectionRecord record, Principal principal, Transport transport, Outbox outbox, TokenBucket rateLimit,
                  Runnable onOverflow, long nowMillis) {
        this.record = record;
        this.onOverflow = onOverflow;
        this.principal = principal;
        this.transport = transport;
        this.outbox = outbox;
        this.rateLimit = rateLimit;
        this.lastPresencePingMillis = nowMillis;
        this.lastInboundMillis = nowMillis;
    }

    public String socketId() {
        return record.socketId();
    }

    public String userId() {
        return record.userId();
    }

    public String deviceId() {
        return record.deviceId();
    }

    /** The record this socket has in Redis. */
    public ConnectionRecord record() {
        return record;
    }

    /** The current principal: replaced by {@code auth:refresh}. */
    public Principal principal() {
        return principal;
    }

    public void principal(Principal refreshed) {
        this.principal = refreshed;
    }

    /**
     * Queues a text frame without waiting. When the outbox is full the client is closed as a slow consumer; a
     * client that is closing drops the frame.
     */
    public void send(String frame) {
        send(new OutboundFrame(frame));
    }

    /** Queues a frame shared with other sockets (a room message, encoded once). */
    public void send(OutboundFrame frame) {
        if (!outbox.offer(frame) && !isEnded()) {
            onOverflow.run();
        }
    }

    public Outbox outbox() {
        return outbox;
    }

    public Transport transport() {
        return transport;
    }

    public TokenBucket rateLimit() {
        return rateLimit;
    }

    /** Rooms this socket is in, such as {@code user:alice} or {@code chat:42}. */
    public Set<String> rooms() {
        return rooms;
    }

    /** Users whose presence this socket follows. */
    public Set<String> watchedUsers() {
        return watchedUsers;
    }

    public long lastPresencePingMillis() {
        return lastPresencePingMillis;
    }

    public void presencePinged(long nowMillis) {
        this.lastPresencePingMillis = nowMillis;
    }

    public long lastInboundMillis() {
        return lastInboundMillis;
    }

    public void inbound(long nowMillis) {
        this.lastInboundMillis = nowMillis;
    }

    public long lastServerPingMillis() {
        return lastServerPingMillis;
    }

    public void serverPinged(long nowMillis) {
        this.lastServerPingMillis = nowMillis;
    }

    /**
     * Marks the socket ended; true only for the first caller, which then does the cleanup exactly once.
     */
    public boolean end(DisconnectReason reason, long nowMillis) {
        if (ended.compareAndSet(null, reason)) {
            closeStartedMillis = nowMillis;
            return true;
        }
        return false;
    }

    /** Why the socket ended, or null while it is open. */
    public DisconnectReason endReason() {
        return ended.get();
    }

    public boolean isEnded() {
        return ended.get() != null;
    }

    /** When {@link #end} was called, for the deadline after which a close that cannot be written is aborted. */
    public long closeStartedMillis() {
        return closeStartedMillis;
    }

    @Override
    public String toString() {
        return "Client[socket=" + record.socketId() + " user=" + record.userId() + " device=" + record.deviceId() + "]";
    }
}
