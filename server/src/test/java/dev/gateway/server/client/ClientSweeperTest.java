package dev.gateway.server.client;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gateway.protocol.event.CloseCode;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The sweep, on a clock the test moves (heartbeat 10 s, presence TTL 30 s, so a connection is silent after 40 s):
 * which clients it ends and why, which it pings, and which closes it gives up on.
 */
class ClientSweeperTest {
    private NodeFixture node;
    private ClientSweeper sweeper;
    private FakeTransport transport;

    @BeforeEach
    void startNode() throws Exception {
        node = new NodeFixture();
        sweeper = new ClientSweeper(node.hub, node.lifecycle, node.presence, NodeFixture.HEARTBEAT, node.clock);
        transport = new FakeTransport();
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aClientIdleForAHeartbeatIntervalIsPinged() throws Exception {
        node.open("1000000000000000001", "alice", transport);

        node.clock.advance(NodeFixture.HEARTBEAT.minusMillis(1));
        sweep();
        assertThat(transport.written().contains("ping"), is(false));
        node.clock.advance(Duration.ofMillis(1));
        sweep();

        assertThat(transport.written().getLast(), is("ping"));
    }

    @Test
    void aLiveClientIsLeftAlone() throws Exception {
        Client client = node.open("1000000000000000001", "alice", transport);

        node.clock.advance(Duration.ofSeconds(5));
        sweep();

        assertThat(client.endReason(), is(nullValue()));
    }

    @Test
    void aClientWhoseConnectionIsGoneIsEndedAsLost() throws Exception {
        Client client = node.open("1000000000000000001", "alice", transport);

        transport.abort();
        sweep();

        assertThat(client.endReason(), is(DisconnectReason.CONNECTION_LOST));
    }

    @Test
    void aClientWhoseTokenExpiredIsClosed4401() throws Exception {
        Client client = node.open("1000000000000000001", "alice", NodeFixture.T0.plusSeconds(20), transport);

        node.clock.advance(Duration.ofSeconds(20));
        sweep();

        assertThat(client.endReason(), is(DisconnectReason.TOKEN_EXPIRED));
        assertThat(transport.written().getLast(), is("close:4401:token expired"));
    }

    @Test
    void aClientWithoutPresencePingWithinTheTtlIsClosed4408() throws Exception {
        Client client = node.open("1000000000000000001", "alice", transport);

        node.clock.advance(Duration.ofSeconds(30));
        sweep();

        assertThat(client.endReason(), is(DisconnectReason.PRESENCE_EXPIRED));
        assertThat(transport.written().getLast(), is("close:4408:presence expired: no presence:ping within the TTL"));
    }

    @Test
    void aClientSilentForTwiceTheTtlAndAnIntervalIsEndedAsLost() throws Exception {
        Client client = node.open("1000000000000000001", "alice", transport);

        node.clock.advance(Duration.ofSeconds(25));
        node.presence.ping(client); // its presence stays fresh, but no frame arrives
        node.clock.advance(Duration.ofSeconds(15));
        sweep();

        assertThat(client.endReason(), is(DisconnectReason.CONNECTION_LOST));
    }

    @Test
    void aCloseThePeerNeverCompletesIsDroppedAfterTheGrace() throws Exception {
        Client client = node.open("1000000000000000001", "alice", transport);
        node.lifecycle.end(client, DisconnectReason.OPERATOR, "maintenance"); // not written: the executor does not run

        node.clock.advance(CloseCode.CLOSE_GRACE.minusMillis(1));
        sweeper.sweep();
        assertThat(transport.isOpen(), is(true));
        node.clock.advance(Duration.ofMillis(1));
        sweeper.sweep();

        assertThat(transport.isOpen(), is(false));
    }

    private void sweep() {
        sweeper.sweep();
        node.executor.runAll();
    }
}
