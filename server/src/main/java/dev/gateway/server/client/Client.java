package dev.gateway.server.client;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
 * The client owns its parts (outbox, rate limit, transport) and its rules (when to ping, when a close is overdue);
 * what its owner must act on, it tells its one {@link ClientListener}. The fields read by other threads (fan-out,
 * sweeper) are final, volatile or concurrent; everything else belongs to the reader thread.
 */
public final class Client {
    /** Consecutive seconds with refused frames after which the socket is closed 4429. */
    static final int RATE_LIMIT_PERSISTENCE_SECONDS = 10;

    private final ConnectionRecord record;
    private final Outbox outbox;
    private final TokenBucket rateLimit;
    private final Transport transport;
    private final ClientListener listener;
    // sized for the usual one or two entries (a table of 2 slots, not 16): there is one of each per socket
    private final Set<String> rooms = ConcurrentHashMap.newKeySet(1);
    private final Set<String> watchedUsers = ConcurrentHashMap.newKeySet(1);
    private final AtomicReference<DisconnectReason> ended = new AtomicReference<>();
    private volatile Principal principal;
    private volatile long lastPresencePingMillis;
    private volatile long lastInboundMillis;
    private volatile long closeStartedMillis;
    private volatile long lastServerPingMillis;
    private volatile boolean closing;

    /**
     * What bounds one client.
     *
     * @param outboundQueueFrames most frames its outbox holds ({@code OUTBOUND_QUEUE_FRAMES})
     * @param ratePerSecond       frames per second its rate limit refills ({@code RATE_LIMIT_PER_SECOND})
     */
    public record Limits(int outboundQueueFrames, int ratePerSecond) {
    }

    /**
     * @param writer   runs the outbox's single writer
     * @param listener hears what the owner must act on
     */
    public Client(ConnectionRecord record, Principal principal, Transport transport, Executor writer, Limits limits,
                  ClientListener listener, long nowMillis) {
        this.record = record;
        this.principal = principal;
        this.transport = transport;
        this.listener = listener;
        this.outbox = new Outbox(transport, writer, limits.outboundQueueFrames(),
                                 () -> listener.failed(this, DisconnectReason.CONNECTION_LOST, "send failed"),
                                 () -> listener.frameSent(this));
        this.rateLimit = new TokenBucket(limits.ratePerSecond(), RATE_LIMIT_PERSISTENCE_SECONDS, nowMillis);
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

    /** True once the current token's expiry is not after {@code now} (no skew allowed). */
    public boolean isTokenExpired(Instant now) {
        return !principal.expiresAt().isAfter(now);
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
            listener.failed(this, DisconnectReason.SLOW_CONSUMER, "slow consumer: outbound queue overflowed");
        }
    }

    /**
     * Takes a token for one inbound frame (every frame counts, bad ones included).
     *
     * @return false when the frame is refused
     */
    public boolean tryTakeToken(long nowMillis) {
        return rateLimit.tryTake(nowMillis);
    }

    /** True when frames were refused in each of the last several seconds: the socket is then closed 4429. */
    public boolean keepsExceedingRateLimit() {
        return rateLimit.isPersistentlyExceeded();
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

    /** Any frame arrived from the peer (pings and pongs included): it is alive. */
    public void inbound(long nowMillis) {
        this.lastInboundMillis = nowMillis;
    }

    /** True when nothing arrived from the peer for {@code limitMillis} (a half-open connection). */
    public boolean isSilent(long nowMillis, long limitMillis) {
        return nowMillis - lastInboundMillis >= limitMillis;
    }

    /**
     * Pings the peer when nothing arrived from it, and no ping went to it, for {@code idleMillis}: its pong then
     * shows it is alive. Called by one sweeper thread.
     *
     * @return whether a ping was queued
     */
    public boolean pingIfIdle(long nowMillis, long idleMillis) {
        if (nowMillis - lastInboundMillis >= idleMillis && nowMillis - lastServerPingMillis >= idleMillis) {
            lastServerPingMillis = nowMillis;
            outbox.ping();
            return true;
        }
        return false;
    }

    /** False once the connection is gone, whichever side ended it (including a TCP drop without a close frame). */
    public boolean isConnected() {
        return transport.isOpen();
    }

    /**
     * Ends the socket, once whatever the cause: true only for the first caller, which then does the rest of the
     * cleanup. When the server ends it, or gives up on a connection that is still open, the close frame with the
     * reason's code is queued behind the frames already queued (dropping them for a slow consumer and a lost
     * connection), and the client {@link #isClosing() is closing} until the peer completes the close.
     *
     * @param closeReason the close frame's reason text
     */
    public boolean end(DisconnectReason reason, String closeReason, long nowMillis) {
        if (!ended.compareAndSet(null, reason)) {
            return false;
        }
        closeStartedMillis = nowMillis;
        if (reason != DisconnectReason.CLIENT_CLOSED && reason != DisconnectReason.CONNECTION_LOST) {
            outbox.close(reason.closeCode().code(), closeReason, reason == DisconnectReason.SLOW_CONSUMER);
            closing = true;
        } else if (reason == DisconnectReason.CONNECTION_LOST && transport.isOpen()) {
            // The server gives up on a connection that is still open (no pongs, ping timeout): a close frame ends it
            // for a peer that still reads, and closeIfOverdue then drops the connection for one that does not.
            outbox.close(reason.closeCode().code(), closeReason, true);
            closing = true;
        }
        return true;
    }

    /** Why the socket ended, or null while it is open. */
    public DisconnectReason endReason() {
        return ended.get();
    }

    public boolean isEnded() {
        return ended.get() != null;
    }

    /** True when {@link #end} queued a close frame (the server closes this socket). */
    public boolean isClosing() {
        return closing;
    }

    /** True once the close frame was written (or writing failed). */
    public boolean isCloseSent() {
        return outbox.isCloseSent();
    }

    /**
     * For a client {@link #isClosing() closing}: drops the connection when the peer has not completed the close within
     * {@code graceMillis} of {@link #end} (call it again until the connection is gone).
     *
     * @return true when it dropped the connection
     */
    public boolean closeIfOverdue(long nowMillis, long graceMillis) {
        if (transport.isOpen() && nowMillis - closeStartedMillis >= graceMillis) {
            transport.abort();
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "Client[socket=" + record.socketId() + " user=" + record.userId() + " device=" + record.deviceId() + "]";
    }
}
