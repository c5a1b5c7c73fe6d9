package dev.gateway.protocol.event;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.SocketIoCodec.InvalidPacketException;
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
        Packet packet = codec.decode("27[\"chat:send\",{\"chatId\":\"c1\",\"content\":\"hi\"}]");

        InboundFrame frame = ((Packet.Event) packet).frame();
        assertThat(frame, is(nativeCodec.decode("{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\"},\"ack\":7}")));
    }

    @Test
    void anEventWithoutDataDecodesToAnEmptyDataObjectAndNoAck() {
        InboundFrame frame = ((Packet.Event) codec.decode("2[\"presence:ping\"]")).frame();

        assertThat(frame.event(), is("presence:ping"));
        assertThat(frame.data().size(), is(0));
        assertThat(frame.ack(), is(OptionalLong.empty()));
    }

    @Test
    void anEventWhoseDataIsNotAnObjectIsAValidationErrorKeepingTheAckId() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("23[\"chat:send\",\"text\"]"));

        assertThat(e.code(), is(ErrorCode.VALIDATION));
        assertThat(e.ack(), is(OptionalLong.of(3)));
        assertThat(e.event(), is(Optional.of("chat:send")));
    }

    @Test
    void anEventWithAnUnknownOrNumericNameIsStillAnEventForTheGatewayToRefuse() {
        assertThat(((Packet.Event) codec.decode("2[\"no:such\"]")).frame().event(), is("no:such"));
        assertThat(((Packet.Event) codec.decode("2[7]")).frame().event(), is("7"));
    }

    @Test
    void textThatIsNotAValidSocketIoPacketIsInvalid() {
        for (String text : List.of("", "abc", "9", "2", "2{}", "2[]", "2[{}]", "2abc[\"x\"]", "2[\"connect\"]",
                                   "2[\"x\"", "1{}", "0[]", "3", "3{}", "5[\"x\"]", "5x-[\"x\"]", "51-{}",
                                   "21234567890123456[\"x\"]", "5101-[\"x\"]")) {
            assertThrows(InvalidPacketException.class, () -> codec.decode(text), text);
        }
    }

    @Test
    void binaryPacketsAnnounceTheirAttachmentsAndKeepTheAckId() {
        Packet.Binary event = (Packet.Binary) codec.decode("52-789[\"x\",{\"_placeholder\":true,\"num\":0},"
                                                           + "{\"_placeholder\":true,\"num\":1}]");
        Packet.Binary ack = (Packet.Binary) codec.decode("61-4[{\"_placeholder\":true,\"num\":0}]");

        assertThat(event.attachments(), is(2));
        assertThat(event.ack(), is(OptionalLong.of(789)));
        assertThat(ack.attachments(), is(1));
        assertThat(ack.ack(), is(OptionalLong.of(4)));
        assertThat(codec.binaryRefused(OptionalLong.of(789)).code(), is(ErrorCode.BAD_FRAME));
    }

    @Test
    void connectCarriesTheNamespaceAndAuthObject() {
        Packet.Connect root = (Packet.Connect) codec.decode("0{\"token\":\"abc\"}");
        Packet.Connect admin = (Packet.Connect) codec.decode("0/admin,{\"token\":\"abc\"}");
        Packet.Connect bare = (Packet.Connect) codec.decode("0");

        assertThat(root.namespace(), is("/"));
        assertThat(root.auth().get("token").asText(), is("abc"));
        assertThat(admin.namespace(), is("/admin"));
        assertThat(bare.auth().size(), is(0));
    }

    @Test
    void acksAndEventsOfOtherNamespacesAreValidButIgnored() {
        assertThat(codec.decode("31[{}]"), instanceOf(Packet.Ignored.class));
        assertThat(codec.decode("2/admin,[\"x\",{}]"), instanceOf(Packet.Ignored.class));
        assertThat(((Packet.Disconnect) codec.decode("1/admin,")).namespace(), is("/admin"));
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
