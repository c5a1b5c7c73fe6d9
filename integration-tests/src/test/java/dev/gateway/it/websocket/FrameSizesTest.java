package dev.gateway.it.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.RawWebSocket;
import dev.gateway.it.support.WireFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Client frames of every size around the socket's read buffers (512 bytes while a connection waits, 8 KiB while it
 * reads a larger frame, up to {@code MAX_FRAME_BYTES}) arrive whole, however TCP cuts them: one frame per write,
 * all of them in one write, a frame trickled a few bytes at a time, a message in fragments.
 */
class FrameSizesTest {
    /** Payload sizes on both sides of each buffer size, up to the default {@code MAX_FRAME_BYTES}. */
    private static final List<Integer> SIZES = List.of(40, 511, 512, 513, 1500, 8191, 8192, 8193, 20_000, 65_536);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-sizes");

    private static GatewayProcess node;

    @BeforeAll
    static void nameNode() {
        node = CLUSTER.node("node-sizes");
    }

    @Test
    void aFrameOfAnySizeInItsOwnWriteIsAnswered() {
        try (RawWebSocket ws = open()) {
            for (int i = 0; i < SIZES.size(); i++) {
                ws.send(WireFrame.text(ping(i + 1, SIZES.get(i))));
                awaitAck(ws, i + 1);
            }
        }
    }

    @Test
    void framesOfEverySizeInOneWriteAreAnsweredInOrder() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < SIZES.size(); i++) {
            all.writeBytes(WireFrame.text(ping(i + 1, SIZES.get(i))).bytes());
        }
        try (RawWebSocket ws = open()) {
            ws.sendBytes(all.toByteArray());

            for (int i = 0; i < SIZES.size(); i++) {
                awaitAck(ws, i + 1);
            }
        }
    }

    @Test
    void aLargeFrameTrickledInSmallWritesThenASmallOneAreAnswered() {
        byte[] large = WireFrame.text(ping(1, 9000)).bytes();
        try (RawWebSocket ws = open()) {
            for (int from = 0; from < large.length; from += 700) {
                ws.sendBytes(Arrays.copyOfRange(large, from, Math.min(large.length, from + 700)));
            }
            awaitAck(ws, 1);

            ws.send(WireFrame.text(ping(2, 40)));
            awaitAck(ws, 2);
        }
    }

    @Test
    void aLargeMessageInFragmentsIsAnswered() {
        String message = ping(1, 30_000);
        ByteArrayOutputStream fragments = new ByteArrayOutputStream();
        int step = 7000;
        for (int from = 0; from < message.length(); from += step) {
            byte[] part = message.substring(from, Math.min(message.length(), from + step)).getBytes(StandardCharsets.UTF_8);
            WireFrame frame = from == 0 ? WireFrame.of(WireFrame.TEXT, part) : WireFrame.continuation(part);
            fragments.writeBytes((from + step < message.length() ? frame.notFinal() : frame).bytes());
        }
        try (RawWebSocket ws = open()) {
            ws.sendBytes(fragments.toByteArray());

            awaitAck(ws, 1);
        }
    }

    @Test
    void framesSentWithTheUpgradeRequestAreAnswered() {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(WireFrame.text(ping(1, 40)).bytes());
        frames.writeBytes(WireFrame.text(ping(2, 8193)).bytes());
        try (RawWebSocket ws = RawWebSocket.request(node, Endpoint.NATIVE.target("sizes-user")).open(frames.toByteArray())) {
            awaitAck(ws, 1);
            awaitAck(ws, 2);
        }
    }

    /** A {@code presence:ping} with an ack id, padded with JSON whitespace to exactly {@code bytes}. */
    private static String ping(int ack, int bytes) {
        String event = "{\"event\":\"presence:ping\",\"ack\":" + ack + "}";
        return event + " ".repeat(bytes - event.length());
    }

    private static void awaitAck(RawWebSocket ws, int ack) {
        String text;
        do {
            text = ws.nextText();
        } while (!text.contains("\"ack\":"));
        assertThat(text, containsString("\"ack\":" + ack + ","));
        assertThat(text, containsString("\"success\":true"));
    }

    private static RawWebSocket open() {
        RawWebSocket ws = RawWebSocket.request(node, Endpoint.NATIVE.target("sizes-user")).open();
        assertThat(ws.nextText().contains("\"connected\""), is(true));
        return ws;
    }
}
