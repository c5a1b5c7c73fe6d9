package dev.gateway.server.websocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsSession;

/**
 * A {@link Transport} over a Helidon {@link WsSession}. Helidon's {@code send} is not safe from several threads and
 * blocks without a deadline while the peer does not read, so every write takes one lock; the client's single
 * {@code Outbox} writer is the only regular caller, and the reader thread takes the lock only to answer a close.
 * <p>
 * Helidon does not tell the listener when the TCP connection drops without a close frame: the connection's reader
 * thread just ends. {@link #isOpen()} watches that thread, and the sweeper ends clients whose thread is gone.
 * Created by {@link WsAdapter} for every connection, native or Socket.IO.
 */
public final class WsTransport implements Transport {
    private static final int MAX_CLOSE_REASON_BYTES = 123;

    private final WsSession session;
    private final Thread reader;
    private final String remoteAddress;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final DataWriter writer;
    private volatile boolean closed;

    public WsTransport(WsSession session, Thread reader, String remoteAddress) {
        this.session = session;
        // Helidon's session sends only String text frames (encoding them per call). Its connection context exposes
        // the socket writer that session.send itself uses; complete pre-encoded frames go there, under the same lock
        // as every other write of this connection, so frames never interleave.
        this.writer = session.socketContext() instanceof ConnectionContext context ? context.dataWriter() : null;
        this.reader = reader;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void sendText(OutboundFrame frame) throws Exception {
        writeLock.lock();
        try {
            ensureOpen();
            if (writer != null) {
                // the frame's bytes are shared by every recipient: no per-socket encoding
                writer.writeNow(BufferData.create(frame.wire()));
            } else {
                session.send(frame.text(), true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void sendPing() throws Exception {
        writeLock.lock();
        try {
            ensureOpen();
            session.ping(BufferData.empty());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void sendPong(byte[] payload) throws Exception {
        writeLock.lock();
        try {
            ensureOpen();
            session.pong(BufferData.create(payload));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void sendClose(int code, String reason) throws Exception {
        writeLock.lock();
        try {
            ensureOpen();
            closed = true;
            session.close(code, truncate(reason));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Answers a client's ping on the reader thread. Skipped when the writer is stuck on a peer that does not read
     * (that peer will not read the pong either).
     */
    public void answerPing(byte[] payload) {
        try {
            if (writeLock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    if (!closed) {
                        session.pong(BufferData.create(payload));
                    }
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
        }
    }

    /**
     * Answers a close frame from the client on the reader thread, before Helidon would answer it itself (which
     * could interleave with a frame the writer is sending). Gives up and drops the connection when the writer is
     * stuck on a peer that does not read.
     */
    public void answerClose(int code) {
        try {
            if (writeLock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    if (!closed) {
                        closed = true;
                        session.close(code, "normal");
                    }
                } finally {
                    writeLock.unlock();
                }
            } else {
                abort();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
        }
    }

    @Override
    public void abort() {
        closed = true;
        if (session instanceof ServerConnection connection) {
            // interrupts the reader thread; a virtual thread blocked on a socket closes the socket when interrupted
            connection.close(true);
        } else {
            reader.interrupt();
        }
    }

    @Override
    public boolean isOpen() {
        return reader.isAlive();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    private void ensureOpen() throws java.io.IOException {
        if (closed) {
            throw new java.io.IOException("connection closed");
        }
    }

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_CLOSE_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_CLOSE_REASON_BYTES, StandardCharsets.UTF_8).replaceAll("\uFFFD$", "");
    }
}
