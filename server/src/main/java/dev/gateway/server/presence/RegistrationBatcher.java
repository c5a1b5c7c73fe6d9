package dev.gateway.server.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.gateway.protocol.store.ConnectionStore.NewSocket;
import dev.gateway.protocol.store.ConnectionStore.Registration;

/**
 * Registrations of new sockets, written to Redis in batches: a handshake hands its registration over and waits; one
 * writer at a time takes every registration queued meanwhile (at most {@link #MAX_BATCH}) and sends them in one
 * pipelined round trip, each as its own script call (with its user's contacts, read in the same round trip).
 * <p>
 * Why: in a connect storm, hundreds of handshakes each borrowing a pooled connection for their own round trip
 * exhausted the pool (handshakes refused 503 after the pool's wait) and paid a system call each way per socket.
 * Batched, a storm of 500 concurrent handshakes costs a few round trips on one connection, and a handshake alone
 * still goes at once (the writer starts as soon as the first registration arrives). A caller waits at most as long
 * as the Redis calls ahead of it take, each bounded by the Redis timeout.
 * <pre>
 *   register() ──► queue ──► [writer: up to 256 per pipeline] ──► Redis
 *        ▲                                 │
 *        └──────── outcome of its own call ┘
 * </pre>
 */
final class RegistrationBatcher {
    /** Most registrations per round trip. */
    static final int MAX_BATCH = 256;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Function<List<Registration>, List<Supplier<NewSocket>>> redis;

    /** @param redis registers a batch in one round trip: one outcome per registration, in order */
    RegistrationBatcher(Function<List<Registration>, List<Supplier<NewSocket>>> redis) {
        this.redis = redis;
    }

    /**
     * Registers one socket with the next batch.
     *
     * @throws RuntimeException the failure of its own script call, or of the batch's round trip
     */
    NewSocket register(Registration registration) {
        Pending pending = new Pending(registration, new CompletableFuture<>());
        queue.add(pending);
        if (writing.compareAndSet(false, true)) {
            Thread.startVirtualThread(this::write);
        }
        try {
            return pending.outcome().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering", e);
        }
    }

    private void write() {
        do {
            try {
                List<Pending> batch = new ArrayList<>();
                Pending next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } finally {
                writing.set(false);
            }
            // a registration may have arrived between the last poll and the reset: take it, unless another writer did
        } while (!queue.isEmpty() && writing.compareAndSet(false, true));
    }

    private void send(List<Pending> batch) {
        List<Supplier<NewSocket>> outcomes;
        try {
            outcomes = redis.apply(batch.stream().map(Pending::registration).toList());
        } catch (RuntimeException | Error e) {
            batch.forEach(pending -> pending.outcome().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).outcome().complete(outcomes.get(i).get());
            } catch (RuntimeException e) {
                batch.get(i).outcome().completeExceptionally(e);
            }
        }
    }

    private record Pending(Registration registration, CompletableFuture<NewSocket> outcome) {
    }
}
