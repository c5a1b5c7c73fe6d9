package dev.gateway.server.socketio;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;
import dev.gateway.server.websocket.WsTransport;

/**
 * The wire of one Engine.IO HTTP long-polling session (PROTOCOL section 8), until it upgrades to a WebSocket.
 * <p>
 * Outgoing packets wait in a bounded buffer; the pending GET (or the next one) takes them all, joined by the record
 * separator. When the buffer is full the session is closed as a slow consumer (4503), as the outbox does for a
 * WebSocket. A session whose client sends no GET within pingInterval + pingTimeout is dropped.
 * <pre>
 *  GET (no sid) ─► open packet ──► GET ... GET (long poll, one at a time)     POST: packets ─► SocketIoListener
 *                                    │ WebSocket ?sid= : 2probe ─► 3probe, the pending GET is released (6)
 *                                    │ 5 (upgrade) ─► buffered packets go out on the WebSocket first, then the rest
 * </pre>
 * Writes come from the listener (before CONNECT) or the client's single outbox writer; one lock orders them with
 * the GETs and the upgrade, so no packet is lost or reordered when the session moves to the WebSocket.
 */
final class PollingSession implements Transport {
    static final char SEPARATOR = '\u001e';
    private static final String NOOP = "6";
    private static final String CLOSE = "1";

    private final String sid;
    private final SocketIoEndpoint endpoint;
    private final SocketIoListener listener;
    private final String remoteAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock inbound = new ReentrantLock(); // the listener expects one reader: POSTs, then the WebSocket
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    private boolean getPending;
    private boolean release;
    private boolean closing;
    private boolean probed;
    private long lastGetMillis;
    private volatile boolean closed;
    private volatile WsTransport webSocket;

    PollingSession(String sid, SocketIoEndpoint endpoint, String remoteAddress) {
        this.sid = sid;
        this.endpoint = endpoint;
        this.remoteAddress = remoteAddress;
        this.listener = new SocketIoListener(endpoint);
        this.lastGetMillis = endpoint.clock.millis();
    }

    String sid() {
        return sid;
    }

    SocketIoListener listener() {
        return listener;
    }

    boolean isUpgraded() {
        return webSocket != null;
    }

    /**
     * A GET: waits until packets are buffered (at most {@code maxWaitMillis}, then a noop), and takes them all.
     *
     * @return the response body, or null when the session is gone or another GET is pending (Engine.IO's overlap)
     */
    String poll(long maxWaitMillis) throws InterruptedException {
        lock.lock();
        try {
            if (closed || getPending || webSocket != null) {
                return null;
            }
            getPending = true;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
            try {
                while (buffer.isEmpty() && !release && !probed && !closed && webSocket == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    ready.awaitNanos(left);
                }
            } finally {
                getPending = false;
                release = false;
                lastGetMillis = endpoint.clock.millis();
            }
            if (buffer.isEmpty()) {
                return closed ? CLOSE : NOOP;
            }
            StringBuilder body = new StringBuilder();
            String packet;
            while ((packet = buffer.peek()) != null) {
                if (packet.equals(CLOSE) && !body.isEmpty()) {
                    // the close packet goes alone in the next GET: socket.io-client decodes Socket.IO packets a tick
                    // late, so a 41 (DISCONNECT) before a 1 in one payload would be reported as "transport close"
                    break;
                }
                buffer.poll();
                if (!body.isEmpty()) {
                    body.append(SEPARATOR);
                }
                body.append(packet);
                if (packet.equals(CLOSE)) {
                    closed = true; // the close packet went out: the session is over
                    break;
                }
            }
            return body.toString();
        } finally {
            lock.unlock();
            if (closed) {
                endpoint.forget(this);
            } else {
                endpoint.scheduler.schedule(this::expireIfIdle, expiryMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * A probe arrived on the WebSocket: the pending GET returns now (a noop if nothing waits), and so does any GET
     * the client sent before it saw the probe's answer, so the client can pause polling and send {@code 5}.
     */
    void probed() {
        lock.lock();
        try {
            release = getPending;
            probed = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The probing WebSocket closed before {@code 5}: the client goes on polling, and GETs wait again. */
    void probeFailed() {
        lock.lock();
        try {
            probed = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Packets of one POST, given to the listener as a WebSocket's reader thread would: one request at a time (a
     * client sends one POST at a time; a second one waits).
     */
    void received(String body) {
        inbound.lock();
        try {
            for (String packet : body.split(String.valueOf(SEPARATOR), -1)) {
                if (!packet.isEmpty() && webSocket == null) {
                    listener.onMessage(null, packet, true);
                    if (packet.equals(CLOSE)) {
                        markClosed(); // also when the session had already ended on the server's side
                    }
                }
            }
        } finally {
            inbound.unlock();
        }
    }

    /**
     * The client sent {@code 5} on the WebSocket: what is buffered goes out there first, then everything else. A POST
     * still being read finishes first, so the listener never sees two readers.
     */
    void upgrade(WsTransport ws) throws Exception {
        inbound.lock();
        try {
            moveTo(ws);
        } finally {
            inbound.unlock();
        }
    }

    private void moveTo(WsTransport ws) throws Exception {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("session closed");
            }
            String packet;
            while ((packet = buffer.poll()) != null) {
                ws.sendText(new OutboundFrame(packet));
            }
            webSocket = ws;
            ready.signalAll();
            if (closing) {
                ws.sendClose(CloseCode.NORMAL.code(), "closed");
            }
        } finally {
            lock.unlock();
        }
    }

    private long expiryMillis() {
        return endpoint.settings.pingInterval().toMillis() + endpoint.settings.pingTimeout().toMillis();
    }

    /** No GET within pingInterval + pingTimeout (and no upgrade): the client is gone. */
    private void expireIfIdle() {
        boolean expired;
        lock.lock();
        try {
            expired = !closed && !getPending && webSocket == null
                      && endpoint.clock.millis() - lastGetMillis >= expiryMillis();
            if (expired) {
                closed = true;
            }
        } finally {
            lock.unlock();
        }
        if (expired) {
            endpoint.forget(this);
            listener.lost("no poll in time");
        }
    }

    @Override
    public void sendText(OutboundFrame frame) throws Exception {
        WsTransport ws;
        lock.lock();
        try {
            ws = webSocket;
            if (ws == null) {
                if (closed || closing) {
                    throw new IOException("session closed");
                }
                if (buffer.size() >= endpoint.settings.pollingBuffer()) {
                    // the client does not poll fast enough: closed as a slow consumer (4503), the buffer dropped
                    buffer.clear();
                    listener.overflow();
                    return;
                }
                buffer.add(frame.text());
                ready.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        ws.sendText(frame);
    }

    @Override
    public void sendPing() throws Exception {
        throw new UnsupportedOperationException("Engine.IO pings are text packets");
    }

    @Override
    public void sendPong(byte[] payload) throws Exception {
        WsTransport ws = webSocket;
        if (ws != null) {
            ws.sendPong(payload);
        }
    }

    /**
     * Closes the session. Engine.IO has no close codes: over polling the client gets a close packet ({@code 1}, "transport
     * close", after a DISCONNECT for the terminal codes) and reconnects or not as after the WebSocket's close.
     */
    @Override
    public void sendClose(int code, String reason) throws Exception {
        WsTransport ws;
        lock.lock();
        try {
            ws = webSocket;
            if (ws == null) {
                if (code == CloseCode.SLOW_CONSUMER.code()) {
                    buffer.clear();
                }
                if (!closing && !closed) {
                    closing = true;
                    buffer.add(CLOSE);
                    ready.signalAll();
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        ws.sendClose(code, reason);
    }

    /** A close packet from the client (or a close frame of the upgraded WebSocket). */
    void answerClose() {
        WsTransport ws = webSocket;
        if (ws != null) {
            ws.answerClose(CloseCode.NORMAL.code());
            return;
        }
        markClosed();
    }

    @Override
    public void abort() {
        WsTransport ws = webSocket;
        if (ws != null) {
            ws.abort();
        }
        markClosed();
    }

    private void markClosed() {
        lock.lock();
        try {
            closed = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        endpoint.forget(this);
    }

    /** True once the session moved to a WebSocket. */
    boolean upgraded() {
        return webSocket != null;
    }

    @Override
    public boolean isOpen() {
        WsTransport ws = webSocket;
        return ws != null ? ws.isOpen() : !closed;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }
}
