package dev.gateway.server.connection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import io.helidon.common.buffers.DataReader;

/** Client frames as bytes on the wire (masked unless told otherwise), and a reader over such bytes. */
final class ClientFrame {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private final int opcode;
    private final byte[] payload;
    private boolean fin = true;
    private int rsv;
    private boolean masked = true;
    private Long declaredLength; // null: the payload's own length

    private ClientFrame(int opcode, byte[] payload) {
        this.opcode = opcode;
        this.payload = payload;
    }

    static ClientFrame of(int opcode, byte[] payload) {
        return new ClientFrame(opcode, payload);
    }

    static ClientFrame text(String text) {
        return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    static ClientFrame close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + text.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, text.length);
        return of(CLOSE, payload);
    }

    ClientFrame notFinal() {
        fin = false;
        return this;
    }

    ClientFrame rsv(int bits) {
        rsv = bits;
        return this;
    }

    ClientFrame unmasked() {
        masked = false;
        return this;
    }

    /** A length field that claims more than the payload written (for caps checked before the payload is read). */
    ClientFrame declaring(long length) {
        declaredLength = length;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        long length = declaredLength != null ? declaredLength : payload.length;
        int maskBit = masked ? 0x80 : 0;
        if (Long.compareUnsigned(length, 126) < 0) {
            out.write(maskBit | (int) length);
        } else if (Long.compareUnsigned(length, 65_536) < 0) {
            out.write(maskBit | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (length >>> (8 * i)));
            }
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        }
        return out.toByteArray();
    }

    /** A reader that gets these chunks from its "socket", one per read, then end of stream. */
    static DataReader reader(List<byte[]> chunks) {
        Deque<byte[]> queue = new ArrayDeque<>(chunks);
        return new DataReader(queue::poll);
    }

    /** A reader of these frames, all in one read. */
    static DataReader reader(ClientFrame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(frames).forEach(frame -> out.writeBytes(frame.bytes()));
        return reader(List.of(out.toByteArray()));
    }
}
