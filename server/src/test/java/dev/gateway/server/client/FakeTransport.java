package dev.gateway.server.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that records what was written, in order. It can block every text send until {@link #unblock()}
 * (a client that stops reading), or fail every send (a connection that is gone). It also records whether two sends
 * ever overlapped, which a WebSocket session does not survive.
 */
public final class FakeTransport implements Transport {
    private final List<String> written = new ArrayList<>();
    private final List<Integer> batches = new ArrayList<>();
    private final CountDownLatch unblocked = new CountDownLatch(1);
    private final CountDownLatch sendStarted = new CountDownLatch(1);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private volatile boolean blocking;
    private volatile boolean failing;
    private volatile boolean open = true;
    private String remoteAddress = "127.0.0.1";

    /** Every text send waits until {@link #unblock()}. */
    FakeTransport blocking() {
        blocking = true;
        return this;
    }

    /** The peer's address this connection reports. */
    public FakeTransport from(String address) {
        remoteAddress = address;
        return this;
    }

    /** Every send throws, as a send on a dropped connection does. */
    public FakeTransport failing() {
        failing = true;
        return this;
    }

    /** Sends work again (the failure was transient). */
    FakeTransport unfail() {
        failing = false;
        return this;
    }

    void unblock() {
        unblocked.countDown();
    }

    /** Waits (at most 10 s) until a send began. */
    boolean awaitSendStarted() throws InterruptedException {
        return sendStarted.await(10, TimeUnit.SECONDS);
    }

    /** What was written so far: {@code text:...}, {@code ping}, {@code pong:...}, {@code close:CODE:REASON}. */
    public synchronized List<String> written() {
        return List.copyOf(written);
    }

    /** The sizes of the batches written with {@link #sendTexts}, in order. */
    synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }

    @Override
    public void sendTexts(List<OutboundFrame> frames) throws Exception {
        synchronized (this) {
            batches.add(frames.size());
        }
        for (OutboundFrame frame : frames) {
            sendText(frame);
        }
    }

    boolean overlapped() {
        return overlapped.get();
    }

    @Override
    public void sendText(OutboundFrame frame) throws Exception {
        enter();
        try {
            if (blocking && !unblocked.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake transport still blocked after 10 s");
            }
            record("text:" + frame.text());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void sendPing() throws Exception {
        enter();
        try {
            record("ping");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void sendPong(byte[] payload) throws Exception {
        enter();
        try {
            record("pong:" + new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void sendClose(int code, String reason) throws Exception {
        enter();
        try {
            record("close:" + code + ":" + reason);
            open = false;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void abort() {
        open = false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    private void enter() throws Exception {
        if (inFlight.incrementAndGet() > 1) {
            overlapped.set(true);
        }
        sendStarted.countDown();
        if (failing) {
            inFlight.decrementAndGet();
            throw new java.io.IOException("connection reset");
        }
    }

    private synchronized void record(String event) {
        written.add(event);
    }
}
