package dev.gateway.server.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.websocket.Handshake;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * The Socket.IO layer before its CONNECT, over a WebSocket session on a manual scheduler (the connected life needs a
 * node: see the integration tests).
 */
class SocketIoConnectionTest {
    private static final SocketIoSettings SETTINGS = new SocketIoSettings(Duration.ofSeconds(25), Duration.ofSeconds(20),
                                                                          Duration.ofMillis(1000), 1000, 10);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final RecordingTransport ws = new RecordingTransport();
    private final List<String> recorded = new ArrayList<>();
    private final EngineIoSession session = EngineIoSession.webSocket("sid", ws, SETTINGS, scheduler, scheduler,
                                                                      scheduler.clock(), s -> { });

    /** Credentials whose token is always refused. */
    private final Credentials refusing = new Credentials() {
        @Override
        public Optional<Handshake.Refused> admit() {
            return Optional.empty();
        }

        @Override
        public Handshake authenticate(Optional<String> token) {
            return new Handshake.Refused(401, "{}", "bad token", () -> { });
        }

        @Override
        public Handshake.Refused tooManyConnections(String userId) {
            return new Handshake.Refused(429, "{}", "too many", () -> { });
        }

        @Override
        public void record(Handshake.Refused refused) {
            recorded.add(refused.why());
        }
    };

    private SocketIoConnection connection() {
        SocketIoConnection connection = new SocketIoConnection(session, refusing, SocketIoCodec.create(), null, null, SETTINGS,
                                                               scheduler, scheduler.clock());
        session.start(connection, "0{}");
        connection.awaitConnect();
        return connection;
    }

    @Test
    void aFirstPacketThatIsNotConnectClosesAtOnce() {
        SocketIoConnection connection = connection();

        session.webSocketText(ws, "42[\"presence:ping\"]");

        assertThat(ws.written(), contains("0{}", "close:1008"));
        assertThat(connection.state(), is(SocketIoConnection.State.CLOSED));
    }

    @Test
    void noConnectWithinTheConnectTimeoutCloses() {
        connection();

        scheduler.advance(999);
        assertThat(ws.written(), contains("0{}"));
        scheduler.advance(1);

        assertThat(ws.written(), contains("0{}", "close:1008"));
    }

    @Test
    void anotherNamespaceIsRefusedAndTheSessionWaitsOn() {
        SocketIoConnection connection = connection();

        session.webSocketText(ws, "40/admin,");

        assertThat(ws.written(), contains("0{}", "44/admin,{\"message\":\"Invalid namespace\"}"));
        assertThat(connection.state(), is(SocketIoConnection.State.AWAITING_CONNECT));
    }

    @Test
    void aRefusedTokenGetsConnectErrorUnauthorizedThenTheClose() {
        connection();

        session.webSocketText(ws, "40{\"token\":\"not-a-jwt\"}");

        assertThat(ws.written(), contains("0{}", "44{\"message\":\"unauthorized\"}", "close:4401"));
        assertThat(recorded, contains("bad token"));
    }

    @Test
    void anInvalidSocketIoPacketClosesTheSession() {
        connection();

        session.webSocketText(ws, "4abc");

        assertThat(ws.written(), contains("0{}", "close:1008"));
    }
}
