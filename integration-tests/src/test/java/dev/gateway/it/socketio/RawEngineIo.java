package dev.gateway.it.socketio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.protocol.event.Json;

/**
 * The Engine.IO wire driven by hand, as the official protocol suites do it: plain HTTP requests for long-polling and a
 * plain WebSocket, no Socket.IO library in between. Every wait is bounded.
 */
final class RawEngineIo {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final char SEPARATOR = '\u001e';
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final GatewayProcess node;
    private final String token;

    RawEngineIo(GatewayProcess node, String token) {
        this.node = node;
        this.token = token;
    }

    /** {@code /socket.io/?EIO=4&transport=polling&access_token=...} plus more query. */
    URI polling(String more) {
        return URI.create("http://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=polling&access_token=" + token
                          + more);
    }

    /** A polling handshake; returns the open packet's JSON. */
    JsonNode handshake() {
        HttpResponse<String> open = get(polling(""));
        if (open.statusCode() != 200 || !open.body().startsWith("0")) {
            throw new AssertionError("handshake failed: " + open.statusCode() + " " + open.body());
        }
        return json(open.body().substring(1));
    }

    /** A polling handshake; returns the sid. */
    String open() {
        return handshake().path("sid").asText();
    }

    HttpResponse<String> poll(String sid) {
        return get(polling("&sid=" + sid));
    }

    CompletableFuture<HttpResponse<String>> pollAsync(String sid) {
        return HTTP.sendAsync(HttpRequest.newBuilder(polling("&sid=" + sid)).timeout(TIMEOUT).GET().build(),
                              HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String sid, String body) {
        return send(HttpRequest.newBuilder(polling("&sid=" + sid)).timeout(TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A polling GET until one returns something other than a ping (answered with a pong) or a noop. */
    String pollPastPings(String sid) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = poll(sid);
            if (response.statusCode() != 200) {
                throw new AssertionError("GET answered " + response.statusCode() + " " + response.body());
            }
            StringBuilder rest = new StringBuilder();
            for (String packet : response.body().split(String.valueOf(SEPARATOR))) {
                if (packet.equals("2")) {
                    post(sid, "3");
                } else if (!packet.equals("6")) {
                    rest.append(rest.isEmpty() ? "" : String.valueOf(SEPARATOR)).append(packet);
                }
            }
            if (!rest.isEmpty()) {
                return rest.toString();
            }
        }
        throw new AssertionError("nothing but pings within " + TIMEOUT);
    }

    static HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A WebSocket to {@code /socket.io/?EIO=4&transport=websocket} (with {@code &sid=} to upgrade a polling session). */
    Socket webSocket(String more) {
        URI uri = URI.create("ws://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=websocket&access_token=" + token
                             + more);
        Socket socket = new Socket();
        try {
            socket.ws = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, socket)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("WebSocket to " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return socket;
    }

    /** One raw WebSocket: every text message in order, and how it closed. */
    static final class Socket implements WebSocket.Listener {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        void send(String text) {
            ws.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }

        /** Sends unless the socket is closed already. */
        void trySend(String text) {
            try {
                send(text);
            } catch (java.util.concurrent.CompletionException closed) {
                // the server closed it first
            }
        }

        void sendBinary(byte[] bytes) {
            ws.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }

        /** The next message. */
        String next() {
            try {
                String message = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (message == null) {
                    throw new AssertionError("no message within " + TIMEOUT + (closed.isDone() ? " (closed " + closed.join() + ")" : ""));
                }
                return message;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The next message that is not an Engine.IO ping; pings are answered on the way. */
        String nextPastPings() {
            while (true) {
                String message = next();
                if (!message.equals("2")) {
                    return message;
                }
                send("3");
            }
        }

        /** Skips messages (answering pings) until one matches. */
        String await(Predicate<String> matches) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String message = nextPastPings();
                if (matches.test(message)) {
                    return message;
                }
            }
            throw new AssertionError("no matching message within " + TIMEOUT);
        }

        /** Opens the Socket.IO session on {@code /} and returns the sid of its CONNECT answer. */
        String connect() {
            next(); // the open packet
            send("40");
            String answer = nextPastPings();
            if (!answer.startsWith("40{")) {
                throw new AssertionError("CONNECT answered " + answer);
            }
            await(message -> message.startsWith("42[\"presence:bulk-online\""));
            return json(answer.substring(2)).path("sid").asText();
        }

        /** Waits for the close and returns its code (1006 when the connection dropped without one). */
        int awaitClose() {
            try {
                return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                return 1006;
            } catch (TimeoutException e) {
                throw new AssertionError("still open after " + TIMEOUT + "; messages " + messages);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        boolean isClosed() {
            return closed.isDone();
        }

        void abort() {
            if (ws != null) {
                ws.abort();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
