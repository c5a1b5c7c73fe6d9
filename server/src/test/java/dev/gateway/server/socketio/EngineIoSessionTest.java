package dev.gateway.server.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.gateway.server.client.OutboundFrame;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/** The Engine.IO session's state machine, on a manual clock and scheduler: no server, no threads, no sleeping. */
class EngineIoSessionTest {
    private static final SocketIoSettings SETTINGS = new SocketIoSettings(Duration.ofMillis(300), Duration.ofMillis(200),
                                                                          Duration.ofSeconds(45), 1000, 3);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> heard = new ArrayList<>();
    private final List<EngineIoSession> forgotten = new ArrayList<>();

    private final EngineIoSession.Listener listener = new EngineIoSession.Listener() {
        @Override
        public void message(String data) {
            heard.add("message:" + data);
        }

        @Override
        public void binary() {
            heard.add("binary");
        }

        @Override
        public void alive() {
        }

        @Override
        public void overflow() {
            heard.add("overflow");
        }

        @Override
        public void ended(EngineIoSession.End end, String why) {
            heard.add("ended:" + end);
        }
    };

    private EngineIoSession polling() {
        EngineIoSession session = EngineIoSession.polling("sid1", "127.0.0.1", SETTINGS, scheduler, scheduler,
                                                          scheduler.clock(), forgotten::add);
        session.start(listener, "0{}");
        return session;
    }

    private static String get(EngineIoSession session) {
        CompletableFuture<String> poll = session.poll().orElseThrow(() -> new AssertionError("GET refused"));
        assertThat("the GET is answered at once", poll.isDone(), is(true));
        return poll.join();
    }

    private static void post(EngineIoSession session, String payload) {
        assertThat(session.beginPost(), is(true));
        assertThat(session.post(payload), is(true));
    }

    @Test
    void theFirstPingComesOnePingIntervalAfterTheOpenWhateverTheLayerAbove() {
        EngineIoSession session = polling();
        CompletableFuture<String> pending = session.poll().orElseThrow();

        scheduler.advance(299);
        assertThat(pending.isDone(), is(false));
        scheduler.advance(1);

        assertThat(pending.join(), is("2"));
    }

    @Test
    void aPongInTimeKeepsTheSessionAndTheNextPingFollowsAnIntervalLater() {
        EngineIoSession session = polling();
        scheduler.advance(300);
        assertThat(get(session), is("2"));

        post(session, "3");
        scheduler.advance(299);

        assertThat(session.state(), is(EngineIoSession.State.POLLING));
        scheduler.advance(1);
        assertThat(get(session), is("2"));
    }

    @Test
    void noPongWithinThePingTimeoutClosesTheSessionAndForgetsIt() {
        EngineIoSession session = polling();
        scheduler.advance(300 + 200);

        assertThat(session.state(), is(EngineIoSession.State.CLOSED));
        assertThat(heard, contains("ended:PING_TIMEOUT"));
        assertThat(forgotten, contains(session));
        assertThat(session.poll().isPresent(), is(false));
    }

    @Test
    void aSecondConcurrentGetIsRefusedAndTheFirstGetsTheClosePacket() {
        EngineIoSession session = polling();
        CompletableFuture<String> first = session.poll().orElseThrow();

        assertThat(session.poll().isPresent(), is(false));

        assertThat(first.join(), is("1"));
        assertThat(session.state(), is(EngineIoSession.State.CLOSED));
        assertThat(heard, contains("ended:POLLING_MISUSE"));
    }

    @Test
    void aSecondConcurrentPostIsRefusedAndEndsTheSession() {
        EngineIoSession session = polling();
        assertThat(session.beginPost(), is(true));

        assertThat(session.beginPost(), is(false));

        assertThat(session.state(), is(EngineIoSession.State.CLOSED));
    }

    @Test
    void anUndecodablePacketIsRefusedAndEndsTheSession() {
        EngineIoSession session = polling();
        assertThat(session.beginPost(), is(true));

        assertThat(session.post("abc"), is(false));

        assertThat(heard, contains("ended:BAD_PACKET"));
        assertThat(session.poll().isPresent(), is(false));
    }

    @Test
    void messagePacketsOfOnePostReachTheListenerInOrder() {
        EngineIoSession session = polling();

        post(session, "4one\u001e4two\u001ebAQID");

        assertThat(heard, contains("message:one", "message:two", "binary"));
    }

    @Test
    void aClientCloseEndsThePendingGetWithANoop() {
        EngineIoSession session = polling();
        CompletableFuture<String> pending = session.poll().orElseThrow();

        post(session, "1");

        assertThat(pending.join(), is("6"));
        assertThat(session.state(), is(EngineIoSession.State.CLOSED));
    }

    @Test
    void aClientCloseBeforeItsGetLeavesThatGetANoopAndThenNothing() {
        EngineIoSession session = polling();

        post(session, "1");

        assertThat(get(session), is("6"));
        assertThat(session.poll().isPresent(), is(false));
    }

    @Test
    void aServerCloseOverPollingSendsWhatIsBufferedThenTheClosePacketAlone() throws Exception {
        EngineIoSession session = polling();
        session.send(new OutboundFrame("41"));

        session.close(4403, "operator");

        assertThat(session.state(), is(EngineIoSession.State.CLOSING));
        assertThat(get(session), is("41"));
        assertThat(get(session), is("1"));
        assertThat(session.state(), is(EngineIoSession.State.CLOSED));
        assertThat(session.poll().isPresent(), is(false));
    }

    @Test
    void aFullBufferIsTheListenersOverflow() throws Exception {
        EngineIoSession session = polling();
        for (int i = 0; i < 4; i++) {
            session.send(new OutboundFrame("42[\"x\"]"));
        }

        assertThat(heard, contains("overflow"));
    }

    @Test
    void theUpgradeProbesReleasesTheGetAndMovesTheBufferToTheWebSocketFirst() throws Exception {
        EngineIoSession session = polling();
        CompletableFuture<String> pending = session.poll().orElseThrow();
        RecordingTransport ws = new RecordingTransport();
        assertThat(session.claimUpgrade(), is(true));
        session.probeOpened(ws);

        session.webSocketText(ws, "2probe");

        assertThat(ws.written(), contains("3probe"));
        assertThat(pending.join(), is("6"));
        assertThat(get(session), is("6"));
        session.send(new OutboundFrame("42[\"during\"]"));
        session.webSocketText(ws, "5");
        session.send(new OutboundFrame("42[\"after\"]"));

        assertThat(session.state(), is(EngineIoSession.State.WEBSOCKET));
        assertThat(ws.written(), contains("3probe", "42[\"during\"]", "42[\"after\"]"));
        assertThat(session.poll().isPresent(), is(false));
        assertThat(session.claimUpgrade(), is(false));
    }

    @Test
    void onlyOneWebSocketMayClaimTheUpgradeAndAFailedProbeFreesIt() {
        EngineIoSession session = polling();
        RecordingTransport first = new RecordingTransport();
        assertThat(session.claimUpgrade(), is(true));
        assertThat(session.claimUpgrade(), is(false));
        session.probeOpened(first);

        session.webSocketGone(first, true);

        assertThat(session.state(), is(EngineIoSession.State.POLLING));
        assertThat(session.claimUpgrade(), is(true));
    }

    @Test
    void overAWebSocketTheOpenPacketComesFirstAndPingsFollow() {
        RecordingTransport ws = new RecordingTransport();
        EngineIoSession session = EngineIoSession.webSocket("sid2", ws, SETTINGS, scheduler, scheduler, scheduler.clock(),
                                                            forgotten::add);
        session.start(listener, "0{\"sid\":\"sid2\"}");

        scheduler.advance(300);
        session.webSocketText(ws, "3");
        scheduler.advance(300);

        assertThat(ws.written(), contains("0{\"sid\":\"sid2\"}", "2", "2"));
        assertThat(heard, empty());
    }

    @Test
    void aSilentWebSocketIsClosedAfterPingIntervalPlusPingTimeout() {
        RecordingTransport ws = new RecordingTransport();
        EngineIoSession session = EngineIoSession.webSocket("sid3", ws, SETTINGS, scheduler, scheduler, scheduler.clock(),
                                                            forgotten::add);
        session.start(listener, "0{}");

        scheduler.advance(500);

        assertThat(ws.written(), contains("0{}", "2", "close:1000"));
        assertThat(heard, contains("ended:PING_TIMEOUT"));
    }
}
