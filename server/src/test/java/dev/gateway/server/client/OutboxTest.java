package dev.gateway.server.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

class OutboxTest {
    private final ManualExecutor manual = new ManualExecutor();
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();

    @AfterEach
    void tearDown() {
        virtualThreads.shutdownNow();
    }

    @Test
    void framesAreWrittenInTheOrderTheyWereOffered() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);

        outbox.offer(frame("a"));
        outbox.offer(frame("b"));
        outbox.offer(frame("c"));
        manual.runAll();

        assertThat(transport.written(), contains("text:a", "text:b", "text:c"));
    }

    @Test
    void framesQueuedBehindEachOtherAreWrittenInOneBatchAndControlFramesKeepTheirPlace() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);

        outbox.offer(frame("a"));
        outbox.ping();
        outbox.offer(frame("b"));
        outbox.offer(frame("c"));
        outbox.offer(frame("d"));
        manual.runAll();

        assertThat(transport.written(), contains("text:a", "ping", "text:b", "text:c", "text:d"));
        assertThat(transport.batches(), contains(3));
        assertThat(sent.get(), is(4));
    }

    @Test
    void aBatchStopsAtItsFrameLimit() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 1_000);

        for (int i = 0; i < Outbox.BATCH_FRAMES + 1; i++) {
            outbox.offer(frame("f" + i));
        }
        manual.runAll();

        assertThat(transport.batches(), contains(Outbox.BATCH_FRAMES));
        assertThat(transport.written().size(), is(Outbox.BATCH_FRAMES + 1));
    }

    @Test
    void framesOfferedWhileDrainingAreWrittenInOrderOnTheWriterThread() throws Exception {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, virtualThreads, 10_000);
        List<String> expected = new ArrayList<>();

        for (int i = 0; i < 5_000; i++) {
            outbox.offer(frame("f" + i));
            expected.add("text:f" + i);
        }

        await("5000 frames written", () -> transport.written().size() == 5_000);
        assertThat(transport.written(), is(expected));
    }

    @Test
    void framesOfferedFromManyThreadsAreWrittenOneAtATimeEachThreadInOrder() throws Exception {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, virtualThreads, 100_000);
        int threads = 8;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> offering = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            offering.add(virtualThreads.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    outbox.offer(frame(thread + ":" + i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : offering) {
            f.get(10, TimeUnit.SECONDS);
        }

        await("every frame written", () -> transport.written().size() == threads * perThread);
        assertThat(transport.overlapped(), is(false));
        for (int t = 0; t < threads; t++) {
            String prefix = "text:" + t + ":";
            List<String> ofThread = transport.written().stream().filter(w -> w.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                expected.add(prefix + i);
            }
            assertThat(ofThread, is(expected));
        }
    }

    @Test
    void oneFrameOfferedToSeveralOutboxesIsWrittenToEach() {
        FakeTransport first = new FakeTransport();
        FakeTransport second = new FakeTransport();
        OutboundFrame shared = frame("room message");

        outbox(first, manual, 10).offer(shared);
        outbox(second, manual, 10).offer(shared);
        manual.runAll();

        assertThat(first.written(), contains("text:room message"));
        assertThat(second.written(), contains("text:room message"));
    }

    @Test
    void anOfferBeyondTheCapacityIsRefused() {
        Outbox outbox = outbox(new FakeTransport(), manual, 2);

        assertThat(outbox.offer(frame("a")), is(true));
        assertThat(outbox.offer(frame("b")), is(true));
        assertThat(outbox.offer(frame("c")), is(false));
        assertThat(outbox.queued(), is(2));
    }

    @Test
    void aRefusedFrameIsNeverWritten() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 2);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));
        outbox.offer(frame("c"));

        manual.runAll();

        assertThat(transport.written(), contains("text:a", "text:b"));
    }

    @Test
    void writtenFramesFreeCapacity() {
        Outbox outbox = outbox(new FakeTransport(), manual, 2);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));

        manual.runAll();

        assertThat(outbox.queued(), is(0));
        assertThat(outbox.offer(frame("c")), is(true));
        assertThat(outbox.offer(frame("d")), is(true));
    }

    @Test
    void pingsAndPongsDoNotCountAgainstTheCapacity() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 1);
        outbox.ping();
        outbox.pong("p".getBytes(StandardCharsets.UTF_8));

        assertThat(outbox.offer(frame("a")), is(true));
        manual.runAll();
        assertThat(transport.written(), contains("ping", "pong:p", "text:a"));
    }

    @Test
    void eachWrittenTextFrameIsCounted() {
        Outbox outbox = outbox(new FakeTransport(), manual, 10);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));
        outbox.ping();

        manual.runAll();

        assertThat(sent.get(), is(2));
    }

    @Test
    void aGracefulCloseIsWrittenAfterTheQueuedFrames() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));

        outbox.close(1001, "server shutting down", false);
        manual.runAll();

        assertThat(transport.written(), contains("text:a", "text:b", "close:1001:server shutting down"));
        assertThat(outbox.isCloseSent(), is(true));
    }

    @Test
    void aCloseThatDropsQueuedFramesIsWrittenAlone() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));

        outbox.close(4503, "slow consumer", true);
        manual.runAll();

        assertThat(transport.written(), contains("close:4503:slow consumer"));
        assertThat(outbox.queued(), is(0));
    }

    @Test
    void offersAfterACloseAreRefusedAndNeverWritten() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);
        outbox.close(1000, "bye", false);

        boolean accepted = outbox.offer(frame("late"));
        outbox.ping();
        manual.runAll();

        assertThat(accepted, is(false));
        assertThat(transport.written(), contains("close:1000:bye"));
    }

    @Test
    void onlyTheFirstCloseCounts() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);
        outbox.offer(frame("a"));

        outbox.close(1000, "bye", false);
        outbox.close(4503, "slow consumer", true);
        manual.runAll();

        assertThat(transport.written(), contains("text:a", "close:1000:bye"));
    }

    @Test
    void nothingIsWrittenBeforeTheWriterRuns() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 10);

        outbox.offer(frame("a"));
        outbox.close(1000, "bye", false);

        assertThat(transport.written(), is(empty()));
        assertThat(outbox.isCloseSent(), is(false));
        assertThat(manual.pending(), is(1));
    }

    @Test
    void aBlockedTransportBlocksOnlyItsOwnOutbox() throws Exception {
        FakeTransport stuck = new FakeTransport().blocking();
        FakeTransport healthy = new FakeTransport();
        Outbox slow = outbox(stuck, virtualThreads, 100);
        Outbox fast = outbox(healthy, virtualThreads, 100);
        slow.offer(frame("s0"));
        assertThat(stuck.awaitSendStarted(), is(true));

        for (int i = 1; i <= 100; i++) {
            slow.offer(frame("s" + i));
            fast.offer(frame("f" + i));
        }

        await("the healthy outbox drained", () -> healthy.written().size() == 100);
        assertThat(stuck.written(), is(empty()));
        assertThat(slow.queued(), is(100));
        assertThat(slow.offer(frame("overflow")), is(false));
        stuck.unblock();
        await("the stuck outbox drained", () -> stuck.written().size() == 101);
        assertThat(stuck.written().getFirst(), is("text:s0"));
        assertThat(stuck.written().getLast(), is("text:s100"));
    }

    @Test
    void offeringNeverWaitsForABlockedTransport() throws Exception {
        FakeTransport stuck = new FakeTransport().blocking();
        Outbox outbox = outbox(stuck, virtualThreads, 10);
        outbox.offer(frame("first"));
        assertThat(stuck.awaitSendStarted(), is(true));

        Future<Boolean> offered = virtualThreads.submit(() -> outbox.offer(frame("second")));

        assertThat(offered.get(10, TimeUnit.SECONDS), is(true));
        stuck.unblock();
    }

    @Test
    void aSendFailureCallsTheFailureCallbackOnce() {
        FakeTransport broken = new FakeTransport().failing();
        Outbox outbox = outbox(broken, manual, 100);
        for (int i = 0; i < 10; i++) {
            outbox.offer(frame("f" + i));
        }
        manual.runAll();
        assertThat(failures.get(), is(1));

        outbox.ping();
        outbox.offer(frame("after"));
        outbox.close(1000, "bye", false);
        manual.runAll();

        assertThat(failures.get(), is(1));
        assertThat(broken.written(), is(empty()));
        assertThat(outbox.isCloseSent(), is(true));
    }

    @Test
    void aSendFailureOnTheWriterThreadIsReported() throws Exception {
        Outbox outbox = outbox(new FakeTransport().failing(), virtualThreads, 100);

        outbox.offer(frame("f"));

        await("the failure reported", () -> failures.get() == 1);
        assertThat(outbox.isCloseSent(), is(true));
    }

    @Test
    void nothingIsWrittenAfterASendFailure() {
        FakeTransport transport = new FakeTransport();
        Outbox outbox = outbox(transport, manual, 100);
        outbox.offer(frame("a"));
        manual.runAll();
        transport.failing();
        outbox.offer(frame("b"));
        manual.runAll();

        transport.unfail();
        outbox.offer(frame("c"));
        outbox.close(1000, "bye", false);
        manual.runAll();

        assertThat(transport.written(), contains("text:a"));
        assertThat(failures.get(), is(1));
    }

    private static OutboundFrame frame(String text) {
        return new OutboundFrame(text);
    }

    private Outbox outbox(Transport transport, java.util.concurrent.Executor executor, int capacity) {
        return new Outbox(transport, executor, capacity, failures::incrementAndGet, sent::incrementAndGet);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
