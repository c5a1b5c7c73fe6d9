package dev.gateway.server.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore.NewSocket;
import dev.gateway.protocol.store.ConnectionStore.Registered;
import dev.gateway.protocol.store.ConnectionStore.Registration;
import dev.gateway.protocol.store.PresenceEntry;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoundTripBatcherTest {
    @Test
    void requestsQueuedBehindARoundTripShareTheNextOne() throws Exception {
        CountDownLatch firstTripStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstTrip = new CountDownLatch(1);
        List<Integer> batchSizes = new ArrayList<>();
        RoundTripBatcher<Registration, NewSocket> batcher = new RoundTripBatcher<>(batch -> {
            synchronized (batchSizes) {
                batchSizes.add(batch.size());
            }
            firstTripStarted.countDown();
            await(releaseFirstTrip);
            return batch.stream().map(r -> (Supplier<NewSocket>) () -> new NewSocket(Registered.ADDED, Set.of())).toList();
        });
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<NewSocket> first = threads.submit(() -> batcher.call(registration("s0")));
            firstTripStarted.await(10, TimeUnit.SECONDS);
            List<Future<NewSocket>> waiting = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                String socketId = "s" + i;
                waiting.add(threads.submit(() -> batcher.call(registration(socketId))));
            }
            Thread.sleep(200); // let the 20 queue up behind the first round trip
            releaseFirstTrip.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).registered(), is(Registered.ADDED));
            for (Future<NewSocket> f : waiting) {
                assertThat(f.get(10, TimeUnit.SECONDS).registered(), is(Registered.ADDED));
            }
        }
        assertThat(batchSizes.size(), lessThan(21));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum(), is(21));
    }

    @Test
    void oneRequestsFailureIsItsOwnAndARoundTripsFailureReachesEveryCallerInIt() {
        RoundTripBatcher<Registration, NewSocket> batcher = new RoundTripBatcher<>(batch -> {
            String socketId = batch.getFirst().connection().socketId();
            if (socketId.equals("down")) {
                throw new IllegalStateException("Redis is away");
            }
            return batch.stream().map(r -> (Supplier<NewSocket>) () -> {
                if (r.connection().socketId().equals("bad")) {
                    throw new IllegalArgumentException("script error");
                }
                return new NewSocket(Registered.WENT_ONLINE, Set.of("bob"));
            }).toList();
        });

        assertThat(batcher.call(registration("good")).contacts(), containsInAnyOrder("bob"));
        assertThrows(IllegalArgumentException.class, () -> batcher.call(registration("bad")));
        assertThrows(IllegalStateException.class, () -> batcher.call(registration("down")));
        assertThat(batcher.call(registration("good-again")).registered(), is(Registered.WENT_ONLINE));
    }

    private static Registration registration(String socketId) {
        ConnectionRecord record = new ConnectionRecord("alice", socketId, null, "d1", null, null, "127.0.0.1",
                                                       "2026-12-02T00:00:00Z", "node-a");
        return new Registration(record, new PresenceEntry("node-a", record.connectedAt(), record.connectedAt()));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
