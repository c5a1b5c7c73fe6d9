package dev.gateway.it.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.RawWebSocket;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 4: a connection that has not sent its complete request headers within
 * {@code HANDSHAKE_TIMEOUT_MILLIS} (1 s here) is closed, whatever it sent (nothing, half a request line, half the
 * headers), while normal clients connect meanwhile; a request that completes in time, and a long-polling request that
 * waits longer than the timeout once its headers are in, are served.
 */
class HandshakeTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(1000);
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(6);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-handshake-timeout").env(Map.of("HANDSHAKE_TIMEOUT_MILLIS", String.valueOf(TIMEOUT.toMillis()),
                                                               "SOCKETIO_PING_INTERVAL_MILLIS", "3000"));

    private static GatewayProcess node;
    private final List<Socket> held = new ArrayList<>();

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-handshake-timeout");
    }

    @AfterEach
    void closeHeld() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void halfHandshakesAreClosedAfterTheTimeoutWhileANormalClientConnects() {
        RawWebSocket.Request request = RawWebSocket.request(node, Endpoint.NATIVE.target("alice"));
        int length = request.bytes().length;
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            // nothing, a few bytes, half the request line, the request line, half the headers, all but the blank line
            int[] cuts = {0, 5, 40, Math.min(length - 4, 700), length / 2, length - 2};
            Socket socket = request.sendPartially(cuts[i % cuts.length]);
            held.add(socket);
        }

        WsClient bob = CLUSTER.connect(node, "bob");
        assertThat(bob.ping().path("success").asBoolean(), is(true));

        for (Socket socket : held) {
            assertClosed(socket);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start), greaterThanOrEqualTo(TIMEOUT));
        assertThat(bob.ping().path("success").asBoolean(), is(true));
        Poll.eventually("handshake timeouts counted in the metrics", () -> node.get("/observe/metrics").body(),
                        matchesPattern("(?s).*gateway_handshake_timeouts_total\\{[^}]*} ([2-9]\\d|\\d{3,}).*"));
    }

    @Test
    void aHandshakeWhoseHeadersCompleteInTimeIsUpgraded() throws Exception {
        RawWebSocket.Request request = RawWebSocket.request(node, Endpoint.NATIVE.target("carol"));
        byte[] bytes = request.bytes();
        try (Socket socket = request.sendPartially(bytes.length / 2)) {
            Thread.sleep(TIMEOUT.toMillis() / 4);
            socket.getOutputStream().write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);

            assertThat(statusLine(socket), startsWith("HTTP/1.1 101"));
        }
    }

    @Test
    void aLongPollThatWaitsLongerThanTheTimeoutIsAnswered() {
        String open = poll("").body();
        String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf('"', open.indexOf("\"sid\":\"") + 7));
        long start = System.nanoTime();

        HttpResponse<String> held = poll("&sid=" + sid); // held up to the ping interval (3 s): a ping, else a noop

        assertThat(held.statusCode(), is(200));
        assertThat(held.body(), anyOf(is("2"), is("6")));
        assertThat(Duration.ofNanos(System.nanoTime() - start), greaterThanOrEqualTo(TIMEOUT));
    }

    @Test
    void aLaterRequestOnAKeptAliveConnectionHasTheSameDeadlineForItsHeaders() throws Exception {
        Socket socket = new Socket("127.0.0.1", node.port());
        held.add(socket);
        socket.getOutputStream().write(("GET /observe/health HTTP/1.1\r\nHost: x\r\n\r\nGET /observe/health HTTP/1.1\r\nHo")
                                               .getBytes(StandardCharsets.US_ASCII));

        assertThat(statusLine(socket), startsWith("HTTP/1.1 200"));
        assertClosed(socket);
    }

    private static HttpResponse<String> poll(String sidQuery) {
        URI uri = URI.create("http://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=polling" + sidQuery);
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(8)).GET().build(),
                             HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads until the node closes the connection; fails when it is still open after {@link #CLOSED_WITHIN}. */
    private static void assertClosed(Socket socket) {
        long deadline = System.nanoTime() + CLOSED_WITHIN.toNanos();
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                assertThat("connection still open after " + CLOSED_WITHIN, left, greaterThanOrEqualTo(1L));
                socket.setSoTimeout((int) left);
                if (in.read() < 0) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection still open after " + CLOSED_WITHIN);
        } catch (SocketException e) {
            // reset: closed too
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String statusLine(Socket socket) throws IOException {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        // skip the rest of the head and a body of known length, so the next read sees what follows
        String header;
        int length = 0;
        do {
            StringBuilder next = new StringBuilder();
            while ((b = in.read()) >= 0 && b != '\n') {
                next.append((char) b);
            }
            header = next.toString().trim();
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        } while (!header.isEmpty() && b >= 0);
        in.readNBytes(length);
        assertThat(line.toString(), line.length(), lessThan(200));
        return line.toString().trim();
    }
}
