package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The frames the server writes (the connection's behaviour on a socket is in integration-tests). */
class WebSocketConnectionTest {

    @Test
    void aServerFrameIsUnmaskedWithTheShortestLength() {
        assertThat(WebSocketConnection.frame(0x81, "hi".getBytes(StandardCharsets.US_ASCII)),
                   is(new byte[] {(byte) 0x81, 2, 'h', 'i'}));
        assertThat(Arrays.copyOf(WebSocketConnection.frame(0x82, new byte[126]), 4), is(new byte[] {(byte) 0x82, 126, 0, 126}));
        assertThat(Arrays.copyOf(WebSocketConnection.frame(0x82, new byte[65_536]), 10),
                   is(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}));
    }

    @Test
    void aClosePayloadIsTheCodeThenTheReason() {
        assertThat(WebSocketConnection.closePayload(1002, "bad"), is(new byte[] {0x03, (byte) 0xea, 'b', 'a', 'd'}));
    }

    @Test
    void closeWithoutStatusHasAnEmptyPayload() {
        assertThat(WebSocketConnection.closePayload(FrameReader.NO_STATUS, "ignored").length, is(0));
    }

    @Test
    void aLongReasonIsCutTo123BytesBeforeACharacterItWouldSplit() {
        String reason = "x".repeat(122) + "\u20ac"; // 125 bytes: the euro sign would straddle byte 123

        byte[] payload = WebSocketConnection.closePayload(4403, reason);

        assertThat(payload.length, is(2 + 122));
        assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8), is("x".repeat(122)));
    }
}
