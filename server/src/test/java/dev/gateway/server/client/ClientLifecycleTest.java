package dev.gateway.server.client;

import java.time.Duration;
import java.util.Optional;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.server.auth.Principal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Opening and ending clients: what a new client is sent, how a client's failure ends it, and how the lifecycle holds
 * the clients it closes until their peer completes the close or the grace runs out.
 */
class ClientLifecycleTest {
    private NodeFixture node;

    @BeforeEach
    void startNode() throws Exception {
        node = new NodeFixture();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void anOpenedClientIsInTheHubAndIsSentConnectedThenBulkOnline() throws Exception {
        FakeTransport transport = new FakeTransport();

        node.open("1000000000000000001", "alice", transport);

        assertThat(node.hub.find("1000000000000000001").isPresent(), is(true));
        assertThat(transport.written(), hasSize(2));
        assertThat(transport.written().get(0), startsWith("text:{\"event\":\"connected\""));
        assertThat(transport.written().get(1), startsWith("text:{\"event\":\"presence:bulk-online\""));
    }

    @Test
    void aClientWhoseWriteFailsIsEndedAndRemovedFromRedis() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);
        transport.failing();

        client.send("{\"event\":\"notice\"}");
        node.executor.runAll();

        assertThat(client.endReason(), is(DisconnectReason.CONNECTION_LOST));
        assertThat(node.hub.find("1000000000000000001").isPresent(), is(false));
        assertThat(node.redis.exists("ws:connection:1000000000000000001"), is(false));
    }

    @Test
    void aClientWhoseOutboxOverflowsIsClosedAsASlowConsumer() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);

        for (int i = 0; i <= NodeFixture.OUTBOUND_QUEUE_FRAMES; i++) {
            client.send("{\"event\":\"notice\"}");
        }
        node.executor.runAll();

        assertThat(client.endReason(), is(DisconnectReason.SLOW_CONSUMER));
        assertThat(transport.written().getLast(), is("close:4503:slow consumer: outbound queue overflowed"));
    }

    @Test
    void aServerCloseIsPendingUntilItsCloseFrameIsWritten() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);

        node.lifecycle.end(client, DisconnectReason.OPERATOR, "maintenance");
        assertThat(node.lifecycle.closeFramesPending(), is(true));
        node.executor.runAll();

        assertThat(transport.written().getLast(), is("close:4403:maintenance"));
        assertThat(node.lifecycle.closeFramesPending(), is(false));
    }

    @Test
    void aCloseThePeerDoesNotCompleteWithinTheGraceDropsTheConnection() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);
        node.lifecycle.end(client, DisconnectReason.OPERATOR, "maintenance"); // its writer never runs: no close completes
        long ended = node.clock.millis();

        node.lifecycle.dropOverdueCloses(ended + CloseCode.CLOSE_GRACE.toMillis() - 1);
        assertThat(transport.isOpen(), is(true));
        node.lifecycle.dropOverdueCloses(ended + CloseCode.CLOSE_GRACE.toMillis());

        assertThat(transport.isOpen(), is(false));
    }

    @Test
    void aDroppedConnectionIsNoLongerHeldAsClosing() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);
        node.lifecycle.end(client, DisconnectReason.OPERATOR, "maintenance");

        transport.abort();
        node.lifecycle.dropOverdueCloses(node.clock.millis());

        assertThat(node.lifecycle.closeFramesPending(), is(false));
    }

    @Test
    void aClientThatClosedItselfIsNotHeldAsClosingAndGetsNoCloseFrame() throws Exception {
        FakeTransport transport = new FakeTransport();
        Client client = node.open("1000000000000000001", "alice", transport);
        int written = transport.written().size();

        node.lifecycle.end(client, DisconnectReason.CLIENT_CLOSED, "client closed");
        node.executor.runAll();

        assertThat(node.lifecycle.closeFramesPending(), is(false));
        assertThat(transport.written().size(), is(written));
        assertThat(node.redis.exists("ws:connection:1000000000000000001"), is(false));
    }

    @Test
    void endingAClientTwiceRemovesItOnce() throws Exception {
        Client client = node.open("1000000000000000001", "alice", new FakeTransport());

        node.lifecycle.end(client, DisconnectReason.OPERATOR, "first");
        node.lifecycle.end(client, DisconnectReason.TOKEN_EXPIRED, "second");

        assertThat(client.endReason(), is(DisconnectReason.OPERATOR));
        assertThat(node.executor.pending() > 0, is(true));
        node.executor.runAll();
        assertThat(node.redis.keys("ws:user:*"), is(empty()));
    }

    @Test
    void anAdmissionNotOpenedWithinTheTimeoutIsRemovedByTheLifecycle() throws Exception {
        node.lifecycle.admit("1000000000000000002", new Principal("bob", Optional.empty(), Optional.empty(),
                                                                  NodeFixture.T0.plusSeconds(3600)),
                             "phone", "Phone", "test-agent", Optional.empty());

        node.clock.advance(ClientLifecycle.ADMISSION_TIMEOUT.plus(Duration.ofMillis(1)));
        node.lifecycle.expireAdmissions(node.clock.millis());
        node.executor.runAll();

        assertThat(node.redis.keys("ws:connection:*"), is(empty()));
    }
}
