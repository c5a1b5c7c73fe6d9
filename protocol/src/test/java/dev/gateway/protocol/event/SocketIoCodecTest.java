package dev.gateway.protocol.event;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.SocketIoCodec.Packet;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SocketIoCodecTest {
    private final SocketIoCodec codec = SocketIoCodec.create();
    private final FrameCodec nativeCodec = FrameCodec.create();

    @Test
    void anEventWithAnAckIdDecodesToTheSameFrameAsItsNativeForm() {
        Packet packet = codec.decode("427[\"chat:send\",{\"chatId\":\"c1\",\"content\":\"hi\"}]");

        InboundFrame frame = ((Packet.Event) packet).frame();
        assertThat(frame, is(nativeCodec.decode("{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\"},\"ack\":7}")));
    }

    @Test
    void anEventWithoutDataDecodesToAnEmptyDataObjectAndNoAck() {
        InboundFrame frame = ((Packet.Event) codec.decode("42[\"presence:ping\"]")).frame();

        assertThat(frame.event(), is("presence:ping"));
        assertThat(frame.data().size(), is(0));
        assertThat(frame.ack(), is(OptionalLong.empty()));
    }

    @Test
    void anEventWhoseDataIsNotAnObjectIsAValidationErrorKeepingTheAckId() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("423[\"chat:send\",\"text\"]"));

        assertThat(e.code(), is(ErrorCode.VALIDATION));
        assertThat(e.ack(), is(OptionalLong.of(3)));
    }

    @Test
    void anEventThatIsNotAnArrayIsABadFrame() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("425{\"event\":\"x\"}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.of(5)));
    }

    @Test
    void binaryEventsAndUnknownPacketsAreBadFrames() {
        for (String text : List.of("451-[\"x\",{\"_placeholder\":true,\"num\":0}]", "49", "x", "", "4")) {
            BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode(text), text);
            assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        }
    }

    @Test
    void connectCarriesTheNamespaceAndAuthObject() {
        Packet.Connect root = (Packet.Connect) codec.decode("40{\"token\":\"abc\"}");
        Packet.Connect admin = (Packet.Connect) codec.decode("40/admin,{\"token\":\"abc\"}");
        Packet.Connect bare = (Packet.Connect) codec.decode("40");

        assertThat(root.namespace(), is("/"));
        assertThat(root.auth().get("token").asText(), is("abc"));
        assertThat(admin.namespace(), is("/admin"));
        assertThat(bare.auth().size(), is(0));
    }

    @Test
    void engineIoControlPacketsDecode() {
        assertThat(codec.decode("3"), instanceOf(Packet.Pong.class));
        assertThat(((Packet.Ping) codec.decode("2probe")).payload(), is("probe"));
        assertThat(codec.decode("1"), instanceOf(Packet.Close.class));
        assertThat(codec.decode("6"), instanceOf(Packet.Noop.class));
        assertThat(codec.decode("41"), instanceOf(Packet.Disconnect.class));
        assertThat(codec.decode("431[]"), instanceOf(Packet.ClientAck.class));
    }

    @Test
    void aNativeEventBecomesAnEventPacket() {
        String message = nativeCodec.encode("chat:message", Map.of("id", "1-0", "content", "a \"quoted\" , \"data\":x"));

        assertThat(codec.fromNative(message), is("42[\"chat:message\"," + message.substring(message.indexOf("\"data\":") + 7,
                                                                                  message.length() - 1) + "]"));
    }

    @Test
    void aNativeAckBecomesAnAckPacket() {
        String ack = nativeCodec.ackSuccess(12, Map.of("messageId", "1-0"));

        assertThat(codec.fromNative(ack), is("4312[{\"success\":true,\"messageId\":\"1-0\"}]"));
    }

    @Test
    void aFailedNativeAckBecomesAnAckPacketWithTheErrorObject() {
        String ack = nativeCodec.ackFailure(0, ErrorCode.FORBIDDEN, "no", Map.of());

        assertThat(codec.fromNative(ack), is("430[{\"success\":false,\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"no\"}}]"));
    }

    @Test
    void anotherLayoutIsReencoded() {
        assertThat(codec.fromNative("{\"data\":{\"a\":1},\"event\":\"x\"}"), is("42[\"x\",{\"a\":1}]"));
        assertThat(codec.fromNative("{\"event\":\"x\"}"), is("42[\"x\"]"));
    }

    @Test
    void theTranslationIsOneSharedFunction() {
        assertThat(codec.translation(), sameInstance(codec.translation()));
    }

    @Test
    void theOpenPacketListsNoUpgradesAndTheTimings() {
        assertThat(codec.open("s1", 25000, 20000, 65536),
                   is("0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":65536}"));
        assertThat(codec.connected("abc"), is("40{\"sid\":\"abc\"}"));
        assertThat(codec.connectError("/", "unauthorized"), is("44{\"message\":\"unauthorized\"}"));
    }

    @Test
    void aPollingSessionsOpenPacketOffersTheWebSocketUpgrade() {
        assertThat(codec.open("s2", true, 25000, 20000, 65536),
                   is("0{\"sid\":\"s2\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,"
                      + "\"maxPayload\":65536}"));
    }
}
