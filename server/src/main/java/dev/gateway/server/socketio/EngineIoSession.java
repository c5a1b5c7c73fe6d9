package dev.gateway.server.socketio;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;

/**
 * One Engine.IO 4 session (PROTOCOL section 8), over HTTP long-polling, a WebSocket, or polling first and then the
 * WebSocket it upgrades to. It speaks the Engine.IO layer itself (open, ping/pong heartbeat, close, upgrade, noop)
 * and hands each message packet to its {@link Listener}, the Socket.IO layer.
 * <pre>
 *   GET without sid                                                    WebSocket without sid
 *        │                                                                      │
 *        ▼          WebSocket ?sid= sends 2probe (answered 3probe;              ▼
 *     POLLING ────── the pending GET is released with a noop) ──► UPGRADING ── 5 ──► WEBSOCKET
 *        │  ▲                                                        │                  │
 *        │  └─────────── the probing WebSocket closes ───────────────┘                  │
 *        │ close(code): the close packet waits for the next GET                          │
 *        ▼                                                                               │
 *     CLOSING ── a GET takes the close packet, or none comes in time ──► CLOSED ◄────────┘
 *                                                                           ▲
 *   from any state: client close (1 or a close frame), an undecodable packet, no pong within pingTimeout,
 *   a second concurrent GET or POST, a POST over maxPayload, the transport lost, abort()
 * </pre>
 * The heartbeat starts with the open packet, whatever the layer above does: a ping {@code pingInterval} after the
 * open and after each pong, and the session closes when the pong is not back within {@code pingTimeout}.
 * <p>
 * Over polling, packets wait in a bounded buffer for the pending (or next) GET, which takes them all; a full buffer
 * is the listener's {@link Listener#overflow()}. Over the WebSocket, packets are written at once. Nothing blocks
 * under the state lock: writes happen after it is released (a session's packets are ordered by its one writer, the
 * client's outbox; the upgrade flushes the buffer before any new packet goes to the WebSocket), and the scheduler's
 * threads hand WebSocket writes to the executor. Inbound packets reach the listener one at a time (one POST at a
 * time, then the WebSocket's reader).
 */
public final class EngineIoSession {
    /** The record separator between packets of one polling payload. */
    static final char SEPARATOR = '\u001e';
    static final String NOOP = "6";
    static final String CLOSE = "1";
    private static final OutboundFrame PING = new OutboundFrame("2");
    private static final OutboundFrame PROBE_ANSWER = new OutboundFrame("3probe");
    /** The noop that answers the GET after a client's close over POST; the session ends once it is taken. */
    private static final OutboundFrame LAST_NOOP = new OutboundFrame(NOOP);
    /** No close frame to send: the client's own close frame was answered already. */
    private static final int ANSWERED = 0;
    private static final int NORMAL = CloseCode.NORMAL.code();
    private static final int POLICY_VIOLATION = CloseCode.POLICY_VIOLATION.code();
    private static final int TOO_BIG = CloseCode.MESSAGE_TOO_BIG.code();

    /** The life of a session; see the class comment. */
    public enum State {
        POLLING, UPGRADING, WEBSOCKET, CLOSING, CLOSED
    }

    /** Why a session ended. */
    public enum End {
        /** The client sent a close packet or a close frame. */
        CLIENT_CLOSED,
        /** The WebSocket failed or dropped. */
        TRANSPORT_LOST,
        /** No pong within pingTimeout. */
        PING_TIMEOUT,
        /** A packet that Engine.IO (or the layer above) cannot decode. */
        BAD_PACKET,
        /** A second concurrent GET or POST. */
        POLLING_MISUSE,
        /** A message or POST larger than maxPayload. */
        TOO_BIG,
        /** The server closed it ({@link #close}). */
        SERVER_CLOSED
    }

    /** The layer above: Socket.IO. Messages come one at a time; {@link #ended} comes once, from any thread. */
    public interface Listener {
        /** A message packet's data (a Socket.IO packet). */
        void message(String data);

        /** A binary message packet. */
        void binary();

        /** Any packet arrived: the client is alive. */
        void alive();

        /** The polling buffer is full: the client does not poll fast enough. */
        void overflow();

        /** The session ended (or, for {@link End#SERVER_CLOSED} over polling, began to). */
        void ended(End end, String why);
    }

    private final String sid;
    private final SocketIoSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Clock clock;
    private final Consumer<EngineIoSession> onClosed;
    private final String remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock inbound = new ReentrantLock();
    private final ArrayDeque<OutboundFrame> buffer = new ArrayDeque<>();
    private Listener listener;
    private volatile State state;
    private CompletableFuture<String> pendingGet;
    private boolean postInFlight;
    private boolean upgradeClaimed;
    private Transport probe;
    private volatile Transport webSocket;
    private boolean flushing;
    private boolean awaitingPong;
    private long pingSentMillis;
    private ScheduledFuture<?> heartbeat;
    private End end;
    private boolean endNotified;
    private boolean forgotten;

    private EngineIoSession(String sid, State state, Optional<Transport> webSocket, String remoteAddress,
                            SocketIoSettings settings, ScheduledExecutorService scheduler, Executor executor, Clock clock,
                            Consumer<EngineIoSession> onClosed) {
        this.sid = sid;
        this.state = state;
        this.webSocket = webSocket.orElse(null);
        this.remoteAddress = remoteAddress;
        this.settings = settings;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.onClosed = onClosed;
    }

    /** A session opened by a polling handshake; the handshake's answer is {@link #openPacket}. */
    static EngineIoSession polling(String sid, String remoteAddress, SocketIoSettings settings,
                                   ScheduledExecutorService scheduler, Executor executor, Clock clock,
                                   Consumer<EngineIoSession> onClosed) {
        return new EngineIoSession(sid, State.POLLING, Optional.empty(), remoteAddress, settings, scheduler, executor,
                                   clock, onClosed);
    }

    /** A session opened directly on a WebSocket. */
    static EngineIoSession webSocket(String sid, Transport webSocket, SocketIoSettings settings,
                                     ScheduledExecutorService scheduler, Executor executor, Clock clock,
                                     Consumer<EngineIoSession> onClosed) {
        return new EngineIoSession(sid, State.WEBSOCKET, Optional.of(webSocket), webSocket.remoteAddress(), settings,
                                   scheduler, executor, clock, onClosed);
    }

    /**
     * The open packet; a WebSocket session's is written here. Then the heartbeat starts.
     *
     * @return the open packet (a polling handshake's response body)
     */
    String start(Listener listener, String openPacket) {
        this.listener = listener;
        Transport ws = webSocket;
        if (ws != null) {
            try {
                ws.sendText(new OutboundFrame(openPacket));
            } catch (Exception e) {
                end(End.TRANSPORT_LOST, "open packet not written", NORMAL);
                return openPacket;
            }
        }
        lock.lock();
        try {
            if (state != State.CLOSED) {
                heartbeat = scheduler.schedule(this::ping, settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
        return openPacket;
    }

    public String sid() {
        return sid;
    }

    public State state() {
        return state;
    }

    String remoteAddress() {
        Transport ws = webSocket;
        return ws != null ? ws.remoteAddress() : remoteAddress;
    }

    // ---- outbound

    /**
     * Sends one packet (Engine.IO text, such as {@code 42[...]}): buffered for the next GET over polling, written at
     * once over the WebSocket.
     *
     * @throws IOException when the session is closing or closed, or the WebSocket write failed
     */
    void send(OutboundFrame packet) throws Exception {
        Transport direct = null;
        boolean overflow = false;
        lock.lock();
        try {
            if (state == State.CLOSING || state == State.CLOSED) {
                throw new IOException("session closed");
            }
            if (state == State.WEBSOCKET && !flushing) {
                direct = webSocket;
            } else if (buffer.size() >= settings.pollingBuffer()) {
                overflow = true;
            } else {
                buffer.add(packet);
                releaseGet();
            }
        } finally {
            lock.unlock();
        }
        if (overflow) {
            listener.overflow();
        } else if (direct != null) {
            direct.sendText(packet);
        }
    }

    /** Sends a packet of the session's own (before the layer above has a writer); failures end the session. */
    void sendQuietly(OutboundFrame packet) {
        try {
            send(packet);
        } catch (Exception e) {
            end(End.TRANSPORT_LOST, "write failed", NORMAL);
        }
    }

    /**
     * Closes the session from the server's side after the packets already sent: over polling the close packet waits
     * for the next GET (the session is {@link State#CLOSING} until then), over the WebSocket a close frame with this
     * code goes out.
     */
    public void close(int code, String reason) {
        end(End.SERVER_CLOSED, reason, code);
    }

    /** Closes the session at once for a packet the layer above cannot decode (over polling the POST gets 400). */
    public void fail(String why) {
        end(End.BAD_PACKET, why, POLICY_VIOLATION);
    }

    /** Drops the session and its connections without a goodbye. */
    public void abort() {
        end(End.TRANSPORT_LOST, "aborted", NORMAL);
        Transport ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
    }

    /** False once the session is closed and its WebSocket, if any, gone. */
    boolean isOpen() {
        Transport ws = webSocket;
        return ws != null ? ws.isOpen() : state != State.CLOSED;
    }

    // ---- polling

    /**
     * A GET: completes with the payload (the packets buffered, a noop, or the close packet).
     *
     * @return empty when the request is refused with 400: the session is closed or upgraded, or this is a second
     *         concurrent GET (which closes the session)
     */
    public Optional<CompletableFuture<String>> poll() {
        List<Runnable> after = new ArrayList<>();
        Optional<CompletableFuture<String>> answer;
        lock.lock();
        try {
            checkPingDeadline(after);
            switch (state) {
                case CLOSED, WEBSOCKET -> answer = Optional.empty();
                case CLOSING -> answer = Optional.of(CompletableFuture.completedFuture(drain()));
                default -> {
                    if (pendingGet != null) {
                        after.add(() -> end(End.POLLING_MISUSE, "a second concurrent GET", POLICY_VIOLATION));
                        answer = Optional.empty();
                    } else if (state == State.UPGRADING) {
                        // what is buffered now goes out on the WebSocket once the upgrade completes
                        answer = Optional.of(CompletableFuture.completedFuture(NOOP));
                    } else if (!buffer.isEmpty()) {
                        answer = Optional.of(CompletableFuture.completedFuture(drain()));
                    } else {
                        pendingGet = new CompletableFuture<>();
                        answer = Optional.of(pendingGet);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        finish(after);
        return answer;
    }

    /** The HTTP side stopped waiting for a GET's future: it is answered with a noop and no longer pending. */
    public void abandon(CompletableFuture<String> get) {
        lock.lock();
        try {
            if (pendingGet == get) {
                pendingGet = null;
                get.complete(NOOP);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A POST begins (before its body is read): one at a time.
     *
     * @return false when the request is refused with 400: the session is closed or upgraded, or another POST is still
     *         being read or handled (which closes the session)
     */
    public boolean beginPost() {
        List<Runnable> after = new ArrayList<>();
        boolean accepted = false;
        lock.lock();
        try {
            checkPingDeadline(after);
            if (state == State.CLOSED || state == State.CLOSING || state == State.WEBSOCKET) {
                accepted = false;
            } else if (postInFlight) {
                after.add(() -> end(End.POLLING_MISUSE, "a second concurrent POST", POLICY_VIOLATION));
            } else {
                postInFlight = true;
                accepted = true;
            }
        } finally {
            lock.unlock();
        }
        finish(after);
        return accepted;
    }

    /**
     * The payload of the POST {@link #beginPost} accepted: each packet, in order, as if it came on a WebSocket.
     *
     * @return false when the request is answered with 400: a packet could not be decoded (the session is closed then)
     */
    public boolean post(String payload) {
        inbound.lock();
        try {
            int from = 0;
            while (from <= payload.length() && state != State.CLOSED && state != State.WEBSOCKET) {
                int separator = payload.indexOf(SEPARATOR, from);
                int to = separator < 0 ? payload.length() : separator;
                receive(payload.substring(from, to));
                from = to + 1;
            }
        } finally {
            inbound.unlock();
            endPost();
        }
        return !(state == State.CLOSED && end == End.BAD_PACKET);
    }

    private void endPost() {
        lock.lock();
        try {
            postInFlight = false;
        } finally {
            lock.unlock();
        }
    }

    /** A POST body over maxPayload: refused with 413, and the session ends. */
    public void postTooBig() {
        endPost();
        end(End.TOO_BIG, "POST larger than maxPayload", TOO_BIG);
    }

    // ---- WebSocket

    /**
     * Reserves this polling session for the WebSocket asking to upgrade it: only one may, only once, and never after
     * the upgrade.
     */
    boolean claimUpgrade() {
        lock.lock();
        try {
            if (state != State.POLLING || upgradeClaimed) {
                return false;
            }
            upgradeClaimed = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The WebSocket that claimed the upgrade has opened: it may now probe. */
    void probeOpened(Transport ws) {
        boolean stale;
        lock.lock();
        try {
            stale = state != State.POLLING || probe != null;
            if (!stale) {
                probe = ws;
            }
        } finally {
            lock.unlock();
        }
        if (stale) {
            closeQuietly(ws, NORMAL, "session gone");
        }
    }

    /** A whole text message from one of this session's WebSockets. */
    void webSocketText(Transport ws, String text) {
        if (ws == webSocket) {
            inbound.lock();
            try {
                receive(text);
            } finally {
                inbound.unlock();
            }
        } else if (ws == probeSocket()) {
            probeText(ws, text);
        }
    }

    /** A whole binary message from one of this session's WebSockets. */
    void webSocketBinary(Transport ws) {
        if (ws == webSocket) {
            inbound.lock();
            try {
                listener.alive();
                listener.binary();
            } finally {
                inbound.unlock();
            }
        } else if (ws == probeSocket()) {
            failProbe(ws);
        }
    }

    /** A message over maxPayload on one of this session's WebSockets. */
    void webSocketTooBig(Transport ws) {
        if (ws == webSocket) {
            end(End.TOO_BIG, "message larger than maxPayload", TOO_BIG);
        } else if (ws == probeSocket()) {
            failProbe(ws);
        }
    }

    /** One of this session's WebSockets closed (its close frame was answered) or dropped. */
    void webSocketGone(Transport ws, boolean closeFrame) {
        if (ws == webSocket) {
            end(closeFrame ? End.CLIENT_CLOSED : End.TRANSPORT_LOST, closeFrame ? "client closed" : "connection lost",
                ANSWERED);
        } else {
            lock.lock();
            try {
                if (ws == probe) {
                    // the upgrade failed: the client goes on polling, and GETs wait again
                    probe = null;
                    upgradeClaimed = false;
                    if (state == State.UPGRADING) {
                        state = State.POLLING;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private Transport probeSocket() {
        lock.lock();
        try {
            return probe;
        } finally {
            lock.unlock();
        }
    }

    /** Before the upgrade the probing WebSocket may only send {@code 2probe}, then {@code 5}. */
    private void probeText(Transport ws, String text) {
        if (text.equals("2probe")) {
            boolean probing;
            lock.lock();
            try {
                probing = state == State.POLLING || state == State.UPGRADING;
                if (probing) {
                    state = State.UPGRADING;
                    if (pendingGet != null) {
                        pendingGet.complete(NOOP); // so the client can pause polling and send 5
                        pendingGet = null;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (probing) {
                try {
                    ws.sendText(PROBE_ANSWER);
                } catch (Exception e) {
                    failProbe(ws);
                }
            }
        } else if (text.equals("5")) {
            upgrade(ws);
        } else {
            failProbe(ws);
        }
    }

    private void upgrade(Transport ws) {
        boolean upgraded;
        lock.lock();
        try {
            upgraded = state == State.UPGRADING && probe == ws;
            if (upgraded) {
                state = State.WEBSOCKET;
                webSocket = ws;
                probe = null;
                flushing = true;
                if (pendingGet != null) {
                    pendingGet.complete(NOOP);
                    pendingGet = null;
                }
            }
        } finally {
            lock.unlock();
        }
        if (upgraded) {
            flush(ws);
        } else {
            failProbe(ws);
        }
    }

    /** What the polling buffer held goes out on the WebSocket first; packets sent meanwhile join the buffer. */
    private void flush(Transport ws) {
        while (true) {
            List<OutboundFrame> batch;
            lock.lock();
            try {
                if (buffer.isEmpty() || state == State.CLOSED) {
                    flushing = false;
                    return;
                }
                batch = new ArrayList<>(buffer);
                buffer.clear();
            } finally {
                lock.unlock();
            }
            try {
                for (OutboundFrame packet : batch) {
                    ws.sendText(packet);
                }
            } catch (Exception e) {
                lock.lock();
                try {
                    flushing = false;
                } finally {
                    lock.unlock();
                }
                end(End.TRANSPORT_LOST, "upgrade flush failed", NORMAL);
                return;
            }
        }
    }

    private void failProbe(Transport ws) {
        webSocketGone(ws, false);
        closeQuietly(ws, NORMAL, "upgrade failed");
    }

    // ---- Engine.IO packets

    /** One Engine.IO packet from the client, on the inbound lock. */
    private void receive(String packet) {
        if (packet.isEmpty()) {
            end(End.BAD_PACKET, "empty packet", POLICY_VIOLATION);
            return;
        }
        switch (packet.charAt(0)) {
            case '1' -> end(End.CLIENT_CLOSED, "client closed", NORMAL);
            case '2' -> {
                listener.alive();
                sendQuietly(new OutboundFrame("3" + packet.substring(1)));
            }
            case '3' -> {
                pong();
                listener.alive();
            }
            case '4' -> {
                listener.alive();
                listener.message(packet.substring(1));
            }
            case '5', '6' -> listener.alive();
            case 'b' -> {
                if (isBase64(packet.substring(1))) {
                    listener.alive();
                    listener.binary();
                } else {
                    end(End.BAD_PACKET, "bad base64 packet", POLICY_VIOLATION);
                }
            }
            default -> end(End.BAD_PACKET, "undecodable packet", POLICY_VIOLATION);
        }
    }

    private static boolean isBase64(String text) {
        try {
            Base64.getDecoder().decode(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---- heartbeat

    private void ping() {
        Transport ws;
        lock.lock();
        try {
            if (state == State.CLOSING || state == State.CLOSED) {
                return;
            }
            awaitingPong = true;
            pingSentMillis = clock.millis();
            heartbeat = scheduler.schedule(this::pingTimedOut, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ws = state == State.WEBSOCKET && !flushing ? webSocket : null;
            if (ws == null) {
                buffer.add(PING); // a ping never counts against the buffer's capacity
                releaseGet();
            }
        } finally {
            lock.unlock();
        }
        if (ws != null) {
            executor.execute(() -> {
                try {
                    ws.sendText(PING);
                } catch (Exception e) {
                    end(End.TRANSPORT_LOST, "ping not written", NORMAL);
                }
            });
        }
    }

    private void pong() {
        lock.lock();
        try {
            if (awaitingPong && state != State.CLOSED && state != State.CLOSING) {
                awaitingPong = false;
                heartbeat.cancel(false);
                heartbeat = scheduler.schedule(this::ping, settings.pingInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void pingTimedOut() {
        boolean timedOut;
        lock.lock();
        try {
            timedOut = awaitingPong;
        } finally {
            lock.unlock();
        }
        if (timedOut) {
            end(End.PING_TIMEOUT, "ping timeout", NORMAL);
        }
    }

    /** A request that arrives after the pong deadline finds the session closed, however late the timer runs. */
    private void checkPingDeadline(List<Runnable> after) {
        if (awaitingPong && clock.millis() - pingSentMillis >= settings.pingTimeout().toMillis()) {
            after.add(() -> end(End.PING_TIMEOUT, "ping timeout", NORMAL));
        }
    }

    // ---- ending

    private void end(End why, String reason, int code) {
        List<Runnable> after = new ArrayList<>();
        boolean notify = false;
        lock.lock();
        try {
            State previous = state;
            if (previous == State.CLOSED || previous == State.CLOSING && why == End.SERVER_CLOSED) {
                return;
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            awaitingPong = false;
            if (!endNotified) {
                endNotified = true;
                end = why;
                notify = true;
            }
            Transport probing = probe;
            probe = null;
            if (probing != null) {
                after.add(() -> closeQuietly(probing, NORMAL, "session closed"));
            }
            if (previous == State.WEBSOCKET) {
                state = State.CLOSED;
                closeWebSocket(why, reason, code, after);
            } else if (why == End.SERVER_CLOSED) {
                // the client learns of the close by polling: the close packet waits behind what is buffered
                state = State.CLOSING;
                if (code == 4503) {
                    buffer.clear(); // a slow consumer: what it did not fetch is dropped
                }
                buffer.add(new OutboundFrame(CLOSE));
                releaseGet();
                long expiry = settings.pingInterval().toMillis() + settings.pingTimeout().toMillis();
                scheduler.schedule(this::closingExpired, expiry, TimeUnit.MILLISECONDS);
            } else if (why == End.CLIENT_CLOSED && pendingGet == null && previous != State.CLOSING) {
                // a client close before its GET arrived: that GET still gets its noop, then the session is gone
                state = State.CLOSING;
                buffer.clear();
                buffer.add(LAST_NOOP);
                scheduler.schedule(this::closingExpired, settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                state = State.CLOSED;
                buffer.clear();
                if (pendingGet != null) {
                    // a client close ends the pending GET with a noop; anything else tells the client it is closed
                    pendingGet.complete(why == End.CLIENT_CLOSED ? NOOP : CLOSE);
                    pendingGet = null;
                }
            }
        } finally {
            lock.unlock();
        }
        finish(after);
        if (notify) {
            listener.ended(why, reason);
        }
    }

    /** Over the WebSocket: the client's close frame was answered already; otherwise a close frame goes out. */
    private void closeWebSocket(End why, String reason, int code, List<Runnable> after) {
        Transport ws = webSocket;
        if (why == End.TRANSPORT_LOST || code == ANSWERED || ws == null) {
            return;
        }
        if (why == End.SERVER_CLOSED) {
            // from the client's outbox writer, after its last packet: written in order on the caller's thread
            after.add(() -> closeQuietly(ws, code, reason));
        } else {
            after.add(() -> executor.execute(() -> closeQuietly(ws, code, reason)));
            after.add(() -> scheduler.schedule(() -> {
                if (ws.isOpen()) {
                    ws.abort();
                }
            }, CloseCode.CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void closingExpired() {
        lock.lock();
        try {
            if (state == State.CLOSING) {
                state = State.CLOSED;
                buffer.clear();
            }
        } finally {
            lock.unlock();
        }
        finish(List.of());
    }

    /** Completes the pending GET with what is buffered; on the state lock. */
    private void releaseGet() {
        if (pendingGet != null && !buffer.isEmpty()) {
            pendingGet.complete(drain());
            pendingGet = null;
        }
    }

    /**
     * Takes the buffered packets for one GET, joined by the record separator. The close packet goes alone in the GET
     * after the others: socket.io-client decodes Socket.IO packets a tick late, so a DISCONNECT before a close in one
     * payload would be reported as "transport close". On the state lock.
     */
    private String drain() {
        if (buffer.isEmpty()) {
            return NOOP;
        }
        StringBuilder body = new StringBuilder();
        OutboundFrame packet;
        while ((packet = buffer.peek()) != null) {
            boolean close = packet == LAST_NOOP || packet.text().equals(CLOSE);
            if (close && !body.isEmpty()) {
                break;
            }
            buffer.poll();
            if (!body.isEmpty()) {
                body.append(SEPARATOR);
            }
            body.append(packet.text());
            if (close) {
                state = State.CLOSED; // the close packet went out: the session is over
                break;
            }
        }
        return body.toString();
    }

    /** Runs what was decided under the lock, then forgets the session once it is closed. */
    private void finish(List<Runnable> after) {
        after.forEach(Runnable::run);
        boolean forget;
        lock.lock();
        try {
            forget = state == State.CLOSED && !forgotten;
            forgotten |= forget;
        } finally {
            lock.unlock();
        }
        if (forget) {
            onClosed.accept(this);
        }
    }

    private static void closeQuietly(Transport ws, int code, String reason) {
        try {
            ws.sendClose(code, reason);
        } catch (Exception e) {
            ws.abort();
        }
    }
}
