package dev.gateway.server.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

class OutboundFrameTest {

    @Test
    void aShortTextIsAFinalTextFrameWithATwoByteHeader() {
        byte[] wire = new OutboundFrame("hi").wire();

        assertThat(wire, is(new byte[] {(byte) 0x81, 2, 'h', 'i'}));
    }

    @Test
    void thePayloadLengthCountsUtf8Bytes() {
        byte[] wire = new OutboundFrame("\u20ac").wire();

        assertThat(wire, is(new byte[] {(byte) 0x81, 3, (byte) 0xe2, (byte) 0x82, (byte) 0xac}));
    }

    @Test
    void aPayloadOf125BytesStillHasATwoByteHeader() {
        byte[] wire = new OutboundFrame("x".repeat(125)).wire();

        assertThat(wire.length, is(127));
        assertThat(wire[1], is((byte) 125));
    }

    @Test
    void aPayloadOf126BytesHasATwoByteExtendedLength() {
        byte[] wire = new OutboundFrame("x".repeat(126)).wire();

        assertThat(Arrays.copyOf(wire, 4), is(new byte[] {(byte) 0x81, 126, 0, 126}));
        assertThat(wire.length, is(130));
    }

    @Test
    void aPayloadOf65535BytesHasATwoByteExtendedLength() {
        byte[] wire = new OutboundFrame("x".repeat(65_535)).wire();

        assertThat(Arrays.copyOf(wire, 4), is(new byte[] {(byte) 0x81, 126, (byte) 0xff, (byte) 0xff}));
        assertThat(wire.length, is(65_539));
    }

    @Test
    void aPayloadOf65536BytesHasAnEightByteExtendedLength() {
        byte[] wire = new OutboundFrame("x".repeat(65_536)).wire();

        assertThat(Arrays.copyOf(wire, 10), is(new byte[] {(byte) 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0}));
        assertThat(wire.length, is(65_546));
    }

    @Test
    void thePayloadFollowsTheHeaderUnmasked() {
        String text = "{\"event\":\"chat:message\"}";
        byte[] wire = new OutboundFrame(text).wire();

        assertThat(new String(wire, 2, wire.length - 2, StandardCharsets.UTF_8), is(text));
    }

    @Test
    void theWireBytesAreComputedOnceAndShared() {
        OutboundFrame frame = new OutboundFrame("shared");

        assertThat(frame.wire(), is(sameInstance(frame.wire())));
    }

    @Test
    void aTranslationIsComputedOnceAndSharedWithItsWireBytes() {
        OutboundFrame frame = new OutboundFrame("{\"event\":\"x\"}");
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.UnaryOperator<String> translation = text -> {
            calls.incrementAndGet();
            return "42[\"x\"]";
        };

        OutboundFrame first = frame.translated(translation);
        OutboundFrame second = frame.translated(translation);

        assertThat(first, is(sameInstance(second)));
        assertThat(first.text(), is("42[\"x\"]"));
        assertThat(first.wire(), is(sameInstance(second.wire())));
        assertThat(calls.get(), is(1));
        assertThat(frame.text(), is("{\"event\":\"x\"}"));
    }
}
