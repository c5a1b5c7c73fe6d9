package dev.gateway.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client frame exactly as a test wants it on the wire: any opcode (reserved ones included), RSV bits, FIN, masked
 * or not, any payload (a close payload of any length and content). For {@link RawWebSocket}.
 */
public final class WireFrame {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final int opcode;
    private final byte[] payload;
    private boolean fin = true;
    private int rsv;
    private boolean masked = true;

    private WireFrame(int opcode, byte[] payload) {
        this.opcode = opcode;
        this.payload = payload;
    }

    public static WireFrame of(int opcode, byte[] payload) {
        return new WireFrame(opcode, payload);
    }

    public static WireFrame text(String text) {
        return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public static WireFrame continuation(byte[] payload) {
        return of(CONTINUATION, payload);
    }

    /** A close frame with a status code and a UTF-8 reason. */
    public static WireFrame close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return of(CLOSE, payload);
    }

    /** Not the last fragment of its message. */
    public WireFrame notFinal() {
        fin = false;
        return this;
    }

    /** Sets RSV1..3 (bits 4, 2, 1 of this value). */
    public WireFrame rsv(int bits) {
        rsv = bits & 0x7;
        return this;
    }

    /** Sent without a mask, as only a server may. */
    public WireFrame unmasked() {
        masked = false;
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = masked ? 0x80 : 0;
        int length = payload.length;
        if (length < 126) {
            out.write(maskBit | length);
        } else if (length < 65_536) {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) length >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            out.writeBytes(mask);
        }
        for (int i = 0; i < length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }
}
