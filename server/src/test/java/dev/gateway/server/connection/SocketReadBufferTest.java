package dev.gateway.server.connection;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import io.helidon.common.socket.PlainSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

/** How much one read of a real socket takes, through Helidon's {@link PlainSocket}, as the buffer is resized. */
class SocketReadBufferTest {
    private ServerSocket listener;
    private Socket client;
    private PlainSocket server;

    @BeforeEach
    void connect() throws Exception {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        server = PlainSocket.server(listener.accept(), "1", "1");
    }

    @AfterEach
    void close() throws Exception {
        server.close();
        client.close();
        listener.close();
    }

    @Test
    void aWaitingSocketReadsAtMostTheIdleSize() throws Exception {
        SocketReadBuffer.of(server);
        send(2000);

        assertThat(server.get().length, is(SocketReadBuffer.IDLE_BYTES));
    }

    @Test
    void aLargeFrameIsReadWithHelidonsSizeThenTheBufferShrinksAgain() throws Exception {
        SocketReadBuffer buffer = SocketReadBuffer.of(server);
        send(3 * SocketReadBuffer.LARGE_BYTES);
        server.get();

        buffer.expect(3L * SocketReadBuffer.LARGE_BYTES - SocketReadBuffer.IDLE_BYTES);
        assertThat(server.get().length, is(SocketReadBuffer.LARGE_BYTES));

        buffer.idle();
        assertThat(server.get().length, is(SocketReadBuffer.IDLE_BYTES));
    }

    @Test
    void aFrameBetweenTheTwoSizesIsReadWithABufferOfItsSize() throws Exception {
        SocketReadBuffer buffer = SocketReadBuffer.of(server);
        send(2000);

        buffer.expect(600);
        assertThat(server.get().length, is(600));
    }

    @Test
    void whatFitsTheIdleBufferKeepsIt() throws Exception {
        SocketReadBuffer buffer = SocketReadBuffer.of(server);
        send(2000);

        buffer.expect(SocketReadBuffer.IDLE_BYTES);
        assertThat(server.get().length, is(SocketReadBuffer.IDLE_BYTES));
    }

    @Test
    void anyOtherSocketIsLeftAsHelidonMadeIt() {
        assertThat(SocketReadBuffer.of(null), is(sameInstance(SocketReadBuffer.UNCHANGED)));
    }

    private void send(int bytes) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(new byte[bytes]);
        out.flush();
    }
}
