package dev.gateway.server.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.SocketContext;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import dev.gateway.protocol.event.CloseCode;

/**
 * One upgraded WebSocket connection, in Helidon's place ({@code io.helidon.webserver.websocket.WsConnection}) under
 * the same {@link WsListener} / {@link WsSession} API. It reads on the connection's own (virtual) thread and calls
 * the listener there; it writes from whichever thread sends, one frame at a time.
 * <p>
 * What it enforces (PROTOCOL section 4, RFC 6455): every client frame is checked by a {@link FrameReader}; a
 * violation gets a close frame with its code (1002, 1007, 1009), {@link WsListener#onError} with a
 * {@link WsCloseException} of that code, and the TCP connection is dropped when the peer does not answer the close
 * within {@link #VIOLATION_GRACE}. Nothing else is ever written on the socket (never an HTTP response), and client
 * mistakes are logged at DEBUG only.
 * <pre>
 *   open ──frames──► listener.onMessage / onPing / onPong
 *    │ peer's close ──► close frame back (its code echoed), onClose, TCP closed
 *    │ violation    ──► close frame (1002/1007/1009), onError; waits VIOLATION_GRACE for the peer's close
 *    │ close(code)  ──► close frame; frames that follow are not delivered; waits CloseCode.CLOSE_GRACE for the peer's close
 *    │ TCP drop, abort() (any thread) ──► onError (unless the listener already heard the end), TCP closed
 * </pre>
 * The listener hears the end once: {@code onClose} or {@code onError}.
 * <p>
 * Held per idle connection: this object, its {@link FrameReader} (a few numbers), the write lock and the socket's
 * {@link SocketReadBuffer} of 512 bytes. No send buffer (each frame is written in one array, built for it or shared by
 * every recipient: {@link #sendFrame}), nothing of the upgrade request.
 */
public final class WebSocketConnection implements ServerConnection, WsSession {
    /** How long a peer that broke the protocol has to answer the server's close before TCP is dropped. */
    static final Duration VIOLATION_GRACE = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(WebSocketConnection.class.getName());
    private static final long WRITE_WAIT_MILLIS = 1000;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int MAX_CLOSE_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int FIN = 0x80;

    private final ConnectionContext ctx;
    private final WsListener listener;
    private final DataReader reader;
    private final FrameReader frames;
    private final ScheduledExecutorService scheduler;
    private final String subProtocol;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BufferData firstByte = BufferData.create(1); // reader thread only
    private boolean sendingFragments; // guarded by writeLock
    private volatile boolean closeSent;
    private volatile boolean socketClosed;
    private boolean listenerEnded; // reader thread only

    /**
     * @param subProtocol the {@code Sec-WebSocket-Protocol} the listener chose at the upgrade, else null
     */
    WebSocketConnection(ConnectionContext ctx, WsListener listener, FrameReader frames, ScheduledExecutorService scheduler,
                        String subProtocol) {
        this.ctx = ctx;
        this.listener = listener;
        this.reader = ctx.dataReader();
        this.frames = frames;
        this.scheduler = scheduler;
        this.subProtocol = subProtocol;
    }

    /**
     * Runs the connection on its reader thread until it ends; Helidon closes the socket when this returns. The loop
     * reads the first byte of each frame itself ({@link #awaitFirstByte}) and leaves the rest to {@link #received}.
     */
    @Override
    public void handle(Limit limit) {
        try {
            boolean reading = open();
            while (reading) {
                int first;
                try {
                    frames.skipUnread();
                    first = awaitFirstByte();
                } catch (RuntimeException e) {
                    lost(e);
                    return;
                }
                reading = received(first);
            }
        } finally {
            socketClosed = true;
        }
    }

    /**
     * Writes one complete, pre-encoded frame (for text messages shared by many recipients: their bytes are the same
     * for every socket, since server frames are not masked).
     *
     * @throws UncheckedIOException when the connection is closed or the write fails
     */
    public void sendFrame(byte[] frame) {
        lockForWrite();
        try {
            if (sendingFragments) {
                throw new IllegalStateException("a fragmented message is being sent");
            }
            write(frame);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Drops the TCP connection at once, from any thread: the reader wakes up, tells the listener (unless it already
     * heard the end) and ends. Safe to repeat.
     */
    public void abort() {
        socketClosed = true;
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.TRACE, "closing the socket failed: {0}", e.toString());
        }
    }

    /** False once the TCP connection is gone (whichever side ended it) or being dropped. */
    public boolean isOpen() {
        return !socketClosed;
    }

    @Override
    public WsSession send(String text, boolean last) {
        writeData(TEXT, last, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        writeData(BINARY, last, bytes(bufferData));
        return this;
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        writeControl(PING, control(bytes(bufferData)));
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        writeControl(PONG, control(bytes(bufferData)));
        return this;
    }

    /**
     * Sends the close frame (once; later calls do nothing) and drops TCP if the peer has not answered within
     * {@link CloseCode#CLOSE_GRACE}. Frames the peer sends meanwhile are read but not delivered.
     */
    @Override
    public WsSession close(int code, String reason) {
        sendClose(code, reason, CloseCode.CLOSE_GRACE);
        return this;
    }

    @Override
    public WsSession terminate() {
        try {
            sendClose(WsCloseCodes.NORMAL_CLOSE, "terminated", CloseCode.CLOSE_GRACE);
        } finally {
            abort();
        }
        return this;
    }

    @Override
    public Optional<String> subProtocol() {
        return Optional.ofNullable(subProtocol);
    }

    @Override
    public SocketContext socketContext() {
        return ctx;
    }

    /** Never idle for Helidon's idle-connection checker: the gateway has its own liveness (pings, presence TTL). */
    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    /** Helidon's server stop (and its idle checker, which never picks this connection): drops TCP. */
    @Override
    public void close(boolean interrupt) {
        abort();
    }

    /**
     * The first byte of the next frame: from the connection's reader when it holds one, else straight off the socket.
     * An idle connection parks here, and every frame under the read stays in its virtual thread's stack chunks while
     * it waits: read through the {@link DataReader}, the stack was six frames deeper (the reader's pull, its
     * supplier, the socket's {@code get}). Measured at 10,000 idle sockets: 0.5 KB less per socket after the
     * connect, 1.1 KB less once each socket has sent a frame (the frames above the loop are frozen again into a
     * chunk of their own at the next wait). The cost: one more read call for a frame that arrives while the reader
     * is empty.
     */
    private int awaitFirstByte() {
        if (reader.available() > 0) {
            return reader.read() & 0xFF;
        }
        firstByte.clear();
        if (ctx.serverSocket().read(firstByte) < 0) {
            throw new DataReader.InsufficientDataAvailableException(); // the peer closed TCP, as the reader reports it
        }
        return firstByte.read();
    }

    private boolean open() {
        try {
            listener.onOpen(this);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "WebSocket listener failed in onOpen", e);
            fail(WsCloseCodes.UNEXPECTED_CONDITION, "internal error", e);
            return !socketClosed;
        }
    }

    /**
     * The frame that began with {@code first}: read whole, checked, then handed to the listener.
     *
     * @return false when the connection has ended
     */
    private boolean received(int first) {
        InboundFrame frame;
        try {
            frame = frames.frame(first);
        } catch (ProtocolViolation violation) {
            if (closeSent && listenerEnded) {
                return false; // a second violation while waiting for the close: nothing more to wait for
            }
            LOG.log(System.Logger.Level.DEBUG, "event=ws-protocol-error peer={0} code={1} reason=\"{2}\"",
                    peer(), Integer.toString(violation.closeCode()), violation.reason());
            fail(violation.closeCode(), violation.reason(), null);
            return true;
        } catch (RuntimeException e) {
            lost(e);
            return false;
        }
        if (frame instanceof InboundFrame.Close close) {
            closedByPeer(close);
            return false;
        }
        if (frame != null && !closeSent) {
            deliver(frame);
        }
        return true;
    }

    private void deliver(InboundFrame frame) {
        try {
            switch (frame) {
                case InboundFrame.Text text -> listener.onMessage(this, text.text(), text.last());
                case InboundFrame.Binary binary -> listener.onMessage(this, BufferData.create(binary.data()), binary.last());
                case InboundFrame.Ping ping -> listener.onPing(this, BufferData.create(ping.payload()));
                case InboundFrame.Pong pong -> listener.onPong(this, BufferData.create(pong.payload()));
                case InboundFrame.Close close -> throw new IllegalStateException("close frames are not delivered");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "WebSocket listener failed", e);
            fail(WsCloseCodes.UNEXPECTED_CONDITION, "internal error", e);
        }
    }

    /** The peer's close: answered with its own code (an empty close with an empty one), then the listener hears it. */
    private void closedByPeer(InboundFrame.Close close) {
        if (!closeSent) {
            try {
                sendClose(close.hasCode() ? close.code() : FrameReader.NO_STATUS, "", CloseCode.CLOSE_GRACE);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "answering a close failed: {0}", e.toString());
            }
        }
        if (!listenerEnded) {
            listenerEnded = true;
            try {
                listener.onClose(this, close.code(), close.reason());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "WebSocket listener failed in onClose", e);
            }
        }
    }

    /**
     * The server ends the connection because of what it read (or a listener failure): close frame with the code, the
     * listener hears it as an error, and from now on only the peer's close is waited for.
     */
    private void fail(int code, String reason, Throwable cause) {
        frames.discard();
        try {
            sendClose(code, reason, VIOLATION_GRACE);
        } catch (RuntimeException e) {
            abort(); // the socket is gone or stuck: the read that follows fails and ends the connection
        }
        if (!listenerEnded) {
            listenerEnded = true;
            WsCloseException error = new WsCloseException(reason, code);
            if (cause != null) {
                error.initCause(cause);
            }
            try {
                listener.onError(this, error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "WebSocket listener failed in onError", e);
            }
        }
    }

    /** The read ended: the peer dropped TCP (or reset it), or the socket was closed here ({@link #abort}). */
    private void lost(RuntimeException e) {
        socketClosed = true;
        if (!(e instanceof DataReader.InsufficientDataAvailableException || e instanceof ServerConnectionException
                || e instanceof UncheckedIOException)) {
            LOG.log(System.Logger.Level.ERROR, "reading a WebSocket connection failed", e);
        }
        if (!listenerEnded) {
            listenerEnded = true;
            try {
                listener.onError(this, new WsCloseException("connection lost", WsCloseCodes.CLOSED_ABNORMALLY));
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.ERROR, "WebSocket listener failed in onError", failure);
            }
        }
    }

    /**
     * Writes a close frame unless one was sent, then gives the peer {@code grace} to answer.
     *
     * @param code the status code, or {@link FrameReader#NO_STATUS} for an empty close frame
     */
    private void sendClose(int code, String reason, Duration grace) {
        lockForWrite();
        try {
            if (closeSent) {
                return;
            }
            closeSent = true;
            write(frame(FIN | CLOSE, closePayload(code, reason)));
        } finally {
            writeLock.unlock();
        }
        dropAfter(grace);
    }

    private void dropAfter(Duration grace) {
        try {
            scheduler.schedule(this::abort, grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            abort(); // the node is stopping
        }
    }

    private void writeData(int opcode, boolean last, byte[] payload) {
        lockForWrite();
        try {
            int wireOpcode = sendingFragments ? CONTINUATION : opcode;
            write(frame((last ? FIN : 0) | wireOpcode, payload));
            sendingFragments = !last;
        } finally {
            writeLock.unlock();
        }
    }

    private void writeControl(int opcode, byte[] payload) {
        lockForWrite();
        try {
            write(frame(FIN | opcode, payload));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Takes the write lock, waiting a bounded time: a writer stuck on a peer that does not read must not hold up the
     * reader thread (which writes close frames), so a connection whose writes stall that long is dropped.
     */
    private void lockForWrite() {
        boolean locked;
        try {
            locked = writeLock.tryLock(WRITE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting to write"));
        }
        if (!locked) {
            abort();
            throw new UncheckedIOException(new IOException("another write is stuck: the peer does not read"));
        }
    }

    /**
     * Writes complete, pre-encoded frames in one write: {@link #sendFrame} for several frames that queued up.
     *
     * @throws UncheckedIOException when the connection is closed or the write fails
     */
    public void sendFrames(byte[][] frames) {
        int length = 0;
        for (byte[] frame : frames) {
            length += frame.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, all, at, frame.length);
            at += frame.length;
        }
        sendFrame(all);
    }

    /** Under the write lock. */
    private void write(byte[] frame) {
        if (socketClosed || closeSent && (frame[0] & 0x0F) != CLOSE) {
            throw new UncheckedIOException(new IOException("connection closed"));
        }
        ctx.dataWriter().writeNow(BufferData.create(frame));
    }

    private String peer() {
        return ctx.remotePeer().host();
    }

    /** One server frame (never masked): header and payload in one array, so that it goes out in one write. */
    static byte[] frame(int finAndOpcode, byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) finAndOpcode;
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length < 65_536) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    /** The close payload: status code and reason cut to 123 bytes at a character boundary; empty for NO_STATUS. */
    static byte[] closePayload(int code, String reason) {
        if (code == FrameReader.NO_STATUS) {
            return new byte[0];
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = text.length;
        if (length > MAX_CLOSE_REASON_BYTES) {
            length = MAX_CLOSE_REASON_BYTES;
            while (length > 0 && (text[length] & 0xC0) == 0x80) {
                length--; // text[length] continues a character: cut before that character
            }
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return payload;
    }

    private static byte[] control(byte[] payload) {
        if (payload.length > MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload over 125 bytes");
        }
        return payload;
    }

    private static byte[] bytes(BufferData data) {
        byte[] bytes = new byte[data.available()];
        data.read(bytes);
        return bytes;
    }
}
