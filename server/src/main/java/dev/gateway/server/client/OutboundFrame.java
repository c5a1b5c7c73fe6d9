package dev.gateway.server.client;

import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * One text frame for one or many sockets. A room message is encoded once: the JSON text by the publisher, and the
 * complete WebSocket frame (header and UTF-8 payload; server frames are unmasked, so identical for every socket) by
 * the first writer that needs it. Every other recipient writes the same bytes. Sockets of another wire format
 * (Socket.IO) share one {@link #translated} frame the same way.
 */
public final class OutboundFrame {
    private final String text;
    private volatile byte[] wire;
    private volatile Translation translation;

    public OutboundFrame(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The whole WebSocket frame: FIN + text opcode, payload length, payload. Computed once, then shared. */
    public byte[] wire() {
        byte[] bytes = wire;
        if (bytes == null) {
            bytes = encode(text.getBytes(StandardCharsets.UTF_8));
            wire = bytes; // a race computes the same bytes twice at worst
        }
        return bytes;
    }

    /**
     * This frame in another wire format, translated by the first recipient that needs it and shared with every other
     * recipient asking with the same function (one cached translation; another function is computed uncached).
     */
    public OutboundFrame translated(UnaryOperator<String> translator) {
        Translation cached = translation;
        if (cached != null && cached.translator() == translator) {
            return cached.frame();
        }
        OutboundFrame frame = new OutboundFrame(translator.apply(text));
        if (cached == null) {
            translation = new Translation(translator, frame); // a race translates twice at worst
        }
        return frame;
    }

    private record Translation(UnaryOperator<String> translator, OutboundFrame frame) {
    }

    private static byte[] encode(byte[] payload) {
        int length = payload.length;
        int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) 0x81;
        if (length < 126) {
            frame[1] = (byte) length;
        } else if (length < 65_536) {
            frame[1] = 126;
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (((long) length) >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }
}
