package dev.gateway.server.connection;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PlainSocket;

/**
 * The buffer an upgraded connection's socket reads into: small while the connection waits for its next frame, as
 * large as the frame (up to Helidon's size) only while a larger one is read.
 * <p>
 * Why: Helidon 4.2's {@link PlainSocket} reads every socket into an 8 KiB array it allocates per socket and keeps for
 * the socket's life ({@code BUFFER_LENGTH}, a constant: no listener or connection setting sizes it). For a WebSocket
 * gateway that is most of what an idle connection costs (about 8 of 18 KiB of heap per socket at 10,000 sockets), and
 * the largest thing every young collection copies while sockets connect. A client frame is a few hundred bytes, so
 * the gateway gives each upgraded socket a buffer of {@link #IDLE_BYTES} instead, and one of the frame's size, at most
 * {@link #LARGE_BYTES}, while it reads a larger frame (dropped again before the connection waits for the next one):
 * what a large frame costs in buffer is at most what its payload costs anyway.
 * <p>
 * How: the array is {@code PlainSocket}'s private final field {@code readBuffer}, replaced through reflection, only
 * ever by the connection's own reader thread and between two reads ({@code PlainSocket.get()} reads the field once per
 * read). When the field cannot be set (a Helidon without it, a JDK that refuses to change a final field, Helidon on
 * the module path) every connection keeps Helidon's buffer: one line at the first upgrade says so, nothing else
 * changes. The HTTP request of the upgrade is read with Helidon's buffer; it is garbage before the first collection.
 */
final class SocketReadBuffer {
    /** What a waiting connection reads into: a typical client frame (an event, a ping) arrives in one read. */
    static final int IDLE_BYTES = 512;
    /** The most a frame larger than {@link #IDLE_BYTES} is read with: Helidon's own size. */
    static final int LARGE_BYTES = 8 * 1024;

    private static final System.Logger LOG = System.getLogger(SocketReadBuffer.class.getName());
    private static final MethodHandle SET_READ_BUFFER = readBufferSetter();
    /** For a socket whose buffer is not this class's to size: every call does nothing. */
    static final SocketReadBuffer UNCHANGED = new SocketReadBuffer(null);

    private final PlainSocket socket; // null: the socket keeps the buffer Helidon gave it
    private final byte[] idle;
    private boolean large;

    private SocketReadBuffer(PlainSocket socket) {
        this.socket = socket;
        this.idle = socket == null ? null : new byte[IDLE_BYTES];
    }

    /**
     * Takes over the read buffer of {@code socket} (call on the connection's reader thread, before it reads a frame).
     */
    static SocketReadBuffer of(HelidonSocket socket) {
        if (SET_READ_BUFFER == null || !(socket instanceof PlainSocket plain)) {
            return UNCHANGED;
        }
        SocketReadBuffer buffer = new SocketReadBuffer(plain);
        buffer.set(buffer.idle);
        return buffer;
    }

    /** Before reading {@code bytes} of a frame that are not buffered yet: a buffer that fits them, if 512 do not. */
    void expect(long bytes) {
        if (!large && bytes > IDLE_BYTES) {
            large = true;
            set(new byte[(int) Math.min(LARGE_BYTES, bytes)]);
        }
    }

    /** Between frames, before the connection may wait: back to the small buffer, the large one becomes garbage. */
    void idle() {
        if (large) {
            large = false;
            set(idle);
        }
    }

    private void set(byte[] buffer) {
        if (socket == null) {
            return;
        }
        try {
            SET_READ_BUFFER.invokeExact(socket, buffer);
        } catch (Throwable e) {
            // a setter that was found and fits the socket's class does not fail
            throw new IllegalStateException("setting the socket read buffer failed", e);
        }
    }

    private static MethodHandle readBufferSetter() {
        try {
            Field field = PlainSocket.class.getDeclaredField("readBuffer");
            if (field.getType() != byte[].class) {
                throw new NoSuchFieldException("readBuffer is a " + field.getType().getName());
            }
            field.setAccessible(true);
            return MethodHandles.lookup().unreflectSetter(field)
                    .asType(MethodType.methodType(void.class, PlainSocket.class, byte[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "socket read buffers stay at Helidon''s 8 KiB per connection ({0})",
                    e.toString());
            return null;
        }
    }
}
