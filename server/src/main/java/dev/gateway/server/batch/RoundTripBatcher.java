package dev.gateway.server.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Redis calls of many callers, sent in batches: a caller hands its request over and waits; one writer at a time takes
 * every request queued meanwhile (at most {@link #MAX_BATCH}) and sends them in one pipelined round trip, each as its
 * own script call. Used for the registrations of new sockets and for chat messages.
 * <p>
 * Why: under load, hundreds of callers each borrowing a pooled connection for their own round trip exhausted the
 * pool (handshakes refused 503, messages failed after the pool's wait) and paid a system call each way per call,
 * on the node and in Redis. Batched, 500 concurrent calls cost a few round trips on one connection, and a call alone
 * still goes at once (the writer starts as soon as the first request arrives). A caller waits at most as long as the
 * Redis calls ahead of it take, each bounded by the Redis timeout. Requests go to Redis in the order they were
 * queued, so a caller that waits for each of its calls keeps its own order.
 * <pre>
 *   call() ──► queue ──► [writer: up to 256 per pipeline] ──► Redis
 *      ▲                               │
 *      └────── outcome of its own call ┘
 * </pre>
 *
 * @param <I> a request
 * @param <O> its outcome
 */
public final class RoundTripBatcher<I, O> {
    /** Most requests per round trip. */
    public static final int MAX_BATCH = 256;

    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Function<List<I>, List<Supplier<O>>> redis;

    /**
     * @param redis sends a batch in one round trip: one outcome per request, in order, each throwing the failure of
     *              that request's own call
     */
    public RoundTripBatcher(Function<List<I>, List<Supplier<O>>> redis) {
        this.redis = redis;
    }

    /**
     * Sends one request with the next batch and waits for its outcome.
     *
     * @throws RuntimeException the failure of its own call, or of the batch's round trip
     */
    public O call(I request) {
        Pending<I, O> pending = new Pending<>(request, new CompletableFuture<>());
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
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
    }

    private void write() {
        do {
            try {
                List<Pending<I, O>> batch = new ArrayList<>();
                Pending<I, O> next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } finally {
                writing.set(false);
            }
            // a request may have arrived between the last poll and the reset: take it, unless another writer did
        } while (!queue.isEmpty() && writing.compareAndSet(false, true));
    }

    private void send(List<Pending<I, O>> batch) {
        List<Supplier<O>> outcomes;
        try {
            outcomes = redis.apply(batch.stream().map(Pending::request).toList());
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

    private record Pending<I, O>(I request, CompletableFuture<O> outcome) {
    }
}
