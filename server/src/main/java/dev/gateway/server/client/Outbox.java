package dev.gateway.server.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded outbound queue of one client and its single writer.
 * <p>
 * Any thread may {@link #offer(String)} without blocking; one drain task at a time (on a virtual thread) writes the
 * queue to the {@link Transport}, so frames never interleave and a client that stops reading blocks only its own
 * drain task. When the queue would exceed its capacity the offer fails and the owner closes the client (4503):
 * one slow socket never slows delivery to the others.
 * <pre>
 *   offer() ──► queue ──► [drain task: sendText ... ] ──► transport
 *   close() ──► closeRequest ──► (after queued frames) sendClose, then nothing more
 * </pre>
 */
public final class Outbox {
    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    /** Most text frames written in one go. */
    static final int BATCH_FRAMES = 64;
    /** A batch stops growing once its frames hold this many characters (about a socket send buffer). */
    static final int BATCH_BYTES = 64 * 1024;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Transport transport;
    private final Executor executor;
    private final int capacity;
    private final Runnable onSendFailure;
    private final Runnable onSent;
    private volatile CloseRequest closeRequest;
    private volatile boolean closeSent;

    /**
     * @param capacity      most frames queued at once
     * @param onSendFailure called once when writing fails (the connection is gone)
     * @param onSent        called after each text frame written (a metric)
     */
    public Outbox(Transport transport, Executor executor, int capacity, Runnable onSendFailure, Runnable onSent) {
        this.transport = transport;
        this.executor = executor;
        this.capacity = capacity;
        this.onSendFailure = onSendFailure;
        this.onSent = onSent;
    }

    /**
     * Queues a text frame.
     *
     * @return false when the queue is full (the caller closes the client as a slow consumer) or closing
     */
    public boolean offer(OutboundFrame frame) {
        if (closeRequest != null || closeSent) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.add(frame);
        schedule();
        return true;
    }

    /** Queues a ping (control frames do not count against the capacity). */
    public void ping() {
        if (closeRequest == null) {
            queue.add(Control.PING);
            schedule();
        }
    }

    /** Queues a pong answering a client ping. */
    public void pong(byte[] payload) {
        if (closeRequest == null) {
            queue.add(new Pong(payload));
            schedule();
        }
    }

    /**
     * Closes after the frames already queued (a graceful close), or at once, dropping them (a slow consumer).
     * Only the first close counts.
     */
    public void close(int code, String reason, boolean dropQueued) {
        if (closeRequest != null) {
            return;
        }
        closeRequest = new CloseRequest(code, reason);
        if (dropQueued) {
            queue.clear();
            size.set(0);
        }
        schedule();
    }

    /** True once the close frame was written (or writing failed). */
    public boolean isCloseSent() {
        return closeSent;
    }

    /** Frames waiting to be written. */
    public int queued() {
        return Math.max(0, size.get());
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            do {
                Object next;
                while (!closeSent && (next = queue.poll()) != null) {
                    if (next instanceof OutboundFrame frame) {
                        size.decrementAndGet();
                        if (queue.peek() instanceof OutboundFrame) {
                            sendBatch(frame);
                        } else {
                            transport.sendText(frame);
                            onSent.run();
                        }
                    } else {
                        sendControl(next);
                    }
                }
                CloseRequest close = closeRequest;
                if (close != null && !closeSent) {
                    closeSent = true;
                    queue.clear();
                    transport.sendClose(close.code(), close.reason());
                }
                draining.set(false);
                // an offer or close may have arrived between the last poll and the reset: take it, unless another drain did
            } while (!closeSent && (!queue.isEmpty() || closeRequest != null) && draining.compareAndSet(false, true));
        } catch (Exception e) {
            closeSent = true;
            queue.clear();
            draining.set(false);
            LOG.log(System.Logger.Level.DEBUG, "send failed: {0}", e.toString());
            onSendFailure.run();
        }
    }

    /**
     * Writes {@code first} and the text frames queued right behind it in one go, up to {@link #BATCH_FRAMES} frames or
     * {@link #BATCH_BYTES}: frames queue up behind a write only when the socket is busy, and then one write of all
     * of them costs about what one write of one did.
     */
    private void sendBatch(OutboundFrame first) throws Exception {
        List<OutboundFrame> batch = new ArrayList<>();
        batch.add(first);
        int bytes = first.text().length();
        Object control = null;
        while (batch.size() < BATCH_FRAMES && bytes < BATCH_BYTES && queue.peek() instanceof OutboundFrame) {
            // only this drain polls, but a slow-consumer close may clear the queue meanwhile (then a control frame
            // queued after the clear can come out here instead)
            Object next = queue.poll();
            if (!(next instanceof OutboundFrame frame)) {
                control = next;
                break;
            }
            size.decrementAndGet();
            batch.add(frame);
            bytes += frame.text().length();
        }
        transport.sendTexts(batch);
        for (int i = 0; i < batch.size(); i++) {
            onSent.run();
        }
        if (control != null) {
            sendControl(control);
        }
    }

    private void sendControl(Object control) throws Exception {
        if (control == Control.PING) {
            transport.sendPing();
        } else if (control instanceof Pong pong) {
            transport.sendPong(pong.payload());
        }
    }

    private enum Control {
        PING
    }

    private record Pong(byte[] payload) {
    }

    private record CloseRequest(int code, String reason) {
    }
}
