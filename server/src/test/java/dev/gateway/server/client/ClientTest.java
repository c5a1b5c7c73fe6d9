package dev.gateway.server.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.server.auth.Principal;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * What a client decides by itself, on times the test gives (no sleeping): when it pings, when it is silent, when its
 * token or its rate limit runs out, what it writes when it ends, when a close is overdue, and what it tells its
 * listener. The writer runs only when the test runs the {@link ManualExecutor}.
 */
class ClientTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final long START = T0.toEpochMilli();

    private final FakeTransport transport = new FakeTransport();
    private final ManualExecutor writer = new ManualExecutor();
    private final RecordingListener listener = new RecordingListener();

    @Test
    void aFrameThatDoesNotFitInTheOutboxTellsTheListenerTheClientIsASlowConsumer() {
        Client client = client(1, 10);

        client.send("one");
        client.send("two");

        assertThat(listener.failures, contains("slow-consumer: slow consumer: outbound queue overflowed"));
    }

    @Test
    void aFailedWriteTellsTheListenerTheConnectionIsLost() {
        transport.failing();
        Client client = client(10, 10);

        client.send("one");
        writer.runAll();

        assertThat(listener.failures, contains("connection-lost: send failed"));
    }

    @Test
    void everyFrameWrittenIsReportedToTheListener() {
        Client client = client(10, 10);

        client.send("one");
        client.send("two");
        writer.runAll();

        assertThat(transport.written(), contains("text:one", "text:two"));
        assertThat(listener.framesSent, is(2));
    }

    @Test
    void aClientIsPingedOnlyOnceItWasIdleForTheInterval() {
        Client client = client(10, 10);

        assertThat(client.pingIfIdle(START + 999, 1000), is(false));
        assertThat(client.pingIfIdle(START + 1000, 1000), is(true));
        writer.runAll();

        assertThat(transport.written(), contains("ping"));
    }

    @Test
    void aClientIsNotPingedAgainWithinAnIntervalOfTheLastPing() {
        Client client = client(10, 10);
        client.pingIfIdle(START + 1000, 1000);

        assertThat(client.pingIfIdle(START + 1999, 1000), is(false));
        assertThat(client.pingIfIdle(START + 2000, 1000), is(true));
    }

    @Test
    void aClientThatSpokeWithinTheIntervalIsNotPinged() {
        Client client = client(10, 10);
        client.inbound(START + 900);

        assertThat(client.pingIfIdle(START + 1800, 1000), is(false));
        writer.runAll();

        assertThat(transport.written(), is(empty()));
    }

    @Test
    void aClientIsSilentOnceNothingArrivedForTheLimit() {
        Client client = client(10, 10);
        client.inbound(START + 500);

        assertThat(client.isSilent(START + 1499, 1000), is(false));
        assertThat(client.isSilent(START + 1500, 1000), is(true));
    }

    @Test
    void aTokenIsExpiredFromItsExpiryOnWithoutSkew() {
        Client client = client(10, 10);

        assertThat(client.isTokenExpired(T0.plusSeconds(3599)), is(false));
        assertThat(client.isTokenExpired(T0.plusSeconds(3600)), is(true));
    }

    @Test
    void aRefreshedTokenMovesTheExpiry() {
        Client client = client(10, 10);

        client.principal(principal(T0.plusSeconds(7200)));

        assertThat(client.isTokenExpired(T0.plusSeconds(3600)), is(false));
    }

    @Test
    void framesBeyondTheBurstAreRefusedUntilTheBucketRefills() {
        Client client = client(10, 1); // holds 2 tokens, refills 1 a second

        assertThat(client.tryTakeToken(START), is(true));
        assertThat(client.tryTakeToken(START), is(true));
        assertThat(client.tryTakeToken(START), is(false));
        assertThat(client.tryTakeToken(START + 1000), is(true));
    }

    @Test
    void refusalsInTenSecondsInARowMeanTheClientKeepsExceedingTheRateLimit() {
        Client client = client(10, 1);
        client.tryTakeToken(START);
        client.tryTakeToken(START);

        for (int second = 0; second < Client.RATE_LIMIT_PERSISTENCE_SECONDS; second++) {
            assertThat(client.keepsExceedingRateLimit(), is(false));
            long now = START + second * 1000L;
            while (client.tryTakeToken(now)) {
                // drain what refilled: the next frame this second is refused
            }
        }

        assertThat(client.keepsExceedingRateLimit(), is(true));
    }

    @Test
    void aServerCloseIsWrittenAfterTheFramesAlreadyQueued() {
        Client client = client(10, 10);
        client.send("one");

        assertThat(client.end(DisconnectReason.OPERATOR, "maintenance", START), is(true));
        writer.runAll();

        assertThat(transport.written(), contains("text:one", "close:4403:maintenance"));
        assertThat(client.isClosing(), is(true));
        assertThat(client.isCloseSent(), is(true));
    }

    @Test
    void aSlowConsumersCloseDropsTheFramesQueued() {
        Client client = client(10, 10);
        client.send("one");

        client.end(DisconnectReason.SLOW_CONSUMER, "slow consumer", START);
        writer.runAll();

        assertThat(transport.written(), contains("close:4503:slow consumer"));
    }

    @Test
    void aClientThatClosedItselfGetsNoCloseFrame() {
        Client client = client(10, 10);

        client.end(DisconnectReason.CLIENT_CLOSED, "client closed", START);
        writer.runAll();

        assertThat(transport.written(), is(empty()));
        assertThat(client.isClosing(), is(false));
    }

    @Test
    void aLostConnectionThatIsStillOpenGetsACloseFrameInsteadOfItsQueuedFrames() {
        Client client = client(10, 10);
        client.send("one");

        client.end(DisconnectReason.CONNECTION_LOST, "connection silent", START);
        writer.runAll();

        assertThat(transport.written(), contains("close:1000:connection silent"));
        assertThat(client.isClosing(), is(true));
    }

    @Test
    void aLostConnectionThatIsGoneGetsNothing() {
        Client client = client(10, 10);
        transport.abort();

        client.end(DisconnectReason.CONNECTION_LOST, "connection lost", START);
        writer.runAll();

        assertThat(transport.written(), is(empty()));
        assertThat(client.isClosing(), is(false));
    }

    @Test
    void onlyTheFirstEndCountsAndKeepsItsReason() {
        Client client = client(10, 10);

        assertThat(client.end(DisconnectReason.TOKEN_EXPIRED, "token expired", START), is(true));
        assertThat(client.end(DisconnectReason.OPERATOR, "again", START), is(false));

        assertThat(client.endReason(), is(DisconnectReason.TOKEN_EXPIRED));
    }

    @Test
    void aFrameForAnEndedClientIsDroppedWithoutTellingTheListener() {
        Client client = client(10, 10);
        client.end(DisconnectReason.OPERATOR, "bye", START);

        client.send("late");
        writer.runAll();

        assertThat(listener.failures, is(empty()));
        assertThat(transport.written(), contains("close:4403:bye"));
    }

    @Test
    void aCloseThePeerHasNotCompletedWithinTheGraceDropsTheConnection() {
        Client client = client(10, 10);
        client.end(DisconnectReason.OPERATOR, "bye", START); // the writer never runs: the close is not even written

        assertThat(client.closeIfOverdue(START + 4999, 5000), is(false));
        assertThat(client.isConnected(), is(true));
        assertThat(client.closeIfOverdue(START + 5000, 5000), is(true));
        assertThat(client.isConnected(), is(false));
    }

    private Client client(int outboundQueueFrames, int ratePerSecond) {
        ConnectionRecord record = new ConnectionRecord("alice", "s1", null, "laptop", "Laptop", "test-agent", "127.0.0.1",
                                                       T0.toString(), "node-a");
        return new Client(record, principal(T0.plusSeconds(3600)), transport, writer,
                          new Client.Limits(outboundQueueFrames, ratePerSecond), listener, START);
    }

    private static Principal principal(Instant expiresAt) {
        return new Principal("alice", Optional.empty(), Optional.empty(), expiresAt);
    }

    private static final class RecordingListener implements ClientListener {
        private final List<String> failures = new ArrayList<>();
        private int framesSent;

        @Override
        public synchronized void failed(Client client, DisconnectReason reason, String why) {
            failures.add(reason.tag() + ": " + why);
        }

        @Override
        public synchronized void frameSent(Client client) {
            framesSent++;
        }
    }
}
