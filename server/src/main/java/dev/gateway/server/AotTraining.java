package dev.gateway.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.server.config.EnvironmentAliases;

import io.helidon.logging.common.LogConfig;
import redis.embedded.RedisServer;

/**
 * The training run behind the JDK 25+ ahead-of-time cache ({@code make build} runs it with
 * {@code -XX:AOTCacheOutput=server/target/gateway.aot}; {@code bin/gateway} then starts with {@code -XX:AOTCache}).
 * <p>
 * Why: a freshly started node spends its first seconds loading classes and interpreting its hot paths, which is where
 * the cold-start latency tail came from. The cache keeps the classes this run loads and links, and the method
 * profiles it gathers, so a node starts with both. The run is a small but complete workload, on its own embedded
 * Redis (never a Redis the machine happens to run) and a free port: native and Socket.IO sockets connect, join rooms,
 * send and receive chat messages, ping, type, read history, subscribe to presence and disconnect, in waves, for a
 * few seconds. It says nothing but one line at the end; nothing it does outlives it.
 */
public final class AotTraining {
    private static final int NATIVE_SOCKETS = 200;
    private static final int SOCKET_IO_SOCKETS = 60;
    private static final int ROOM_SIZE = 10;
    private static final int CHURN_WAVES = 4;
    private static final Duration TRAFFIC = Duration.ofSeconds(12);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final AtomicLong framesReceived = new AtomicLong();
    private final int port;

    private AotTraining(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        int redisPort = freePort();
        RedisServer redis = RedisServer.builder().port(redisPort).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        Gateway gateway = null;
        try {
            Map<String, String> env = new HashMap<>();
            env.put("PORT", "0");
            env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
            env.put(DevelopmentMode.ENV, "true");
            env.put("GATEWAY_NODE_ID", "aot-training");
            gateway = Gateway.start(EnvironmentAliases.load(env), Clock.tickMillis(ZoneOffset.UTC));
            long received = new AotTraining(gateway.port()).run();
            System.out.println("aot-training: done, " + received + " frames received");
        } finally {
            if (gateway != null) {
                gateway.stop();
            }
            redis.stop();
        }
        System.exit(0);
    }

    private long run() throws Exception {
        for (int wave = 0; wave < CHURN_WAVES; wave++) {
            closeAll(connect("churn" + wave + "-"));
        }
        List<TrainingClient> clients = connect("user");
        for (TrainingClient client : clients) {
            client.send("chat:join", "{\"chatId\":\"room-" + client.index / ROOM_SIZE + "\"}");
            client.send("presence:subscribe", "{\"userIds\":[\"user" + (client.index + 1) + "\",\"nobody\"]}");
        }
        long end = System.nanoTime() + TRAFFIC.toNanos();
        for (int tick = 0; System.nanoTime() < end; tick++) {
            for (TrainingClient client : clients) {
                if ((client.index + tick) % 4 == 0) {
                    String room = "room-" + client.index / ROOM_SIZE;
                    client.send("chat:send", "{\"chatId\":\"" + room + "\",\"content\":\"training message " + tick
                            + "\",\"clientMsgId\":\"m" + client.index + "-" + tick + "\"}");
                    if (tick % 10 == 0) {
                        client.send("chat:typing", "{\"chatId\":\"" + room + "\",\"isTyping\":true}");
                        client.send("chat:history", "{\"chatId\":\"" + room + "\",\"limit\":20}");
                        client.send("presence:ping", "{}");
                    }
                    if (tick % 25 == 0) {
                        client.send("chat:send", "{\"chatId\":\"" + room + "\"}"); // a validation failure
                        if (!client.socketIo) {
                            client.sendRaw("not json"); // a bad frame (Socket.IO closes the connection on one)
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        closeAll(clients);
        pollOnce();
        return framesReceived.get();
    }

    private List<TrainingClient> connect(String userPrefix) throws Exception {
        List<CompletableFuture<TrainingClient>> pending = new ArrayList<>();
        for (int i = 0; i < NATIVE_SOCKETS + SOCKET_IO_SOCKETS; i++) {
            boolean socketIo = i >= NATIVE_SOCKETS;
            String token = token(userPrefix + i);
            TrainingClient client = new TrainingClient(i, socketIo, token);
            String path = socketIo ? "/socket.io/?EIO=4&transport=websocket" : "/ws?deviceId=d" + (i % 3) + "&access_token=" + token;
            pending.add(http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), client)
                                .thenCompose(ws -> client.ready));
        }
        List<TrainingClient> clients = new ArrayList<>();
        for (CompletableFuture<TrainingClient> future : pending) {
            clients.add(future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        return clients;
    }

    private static void closeAll(List<TrainingClient> clients) throws Exception {
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (TrainingClient client : clients) {
            // a socket the gateway already closed answers with an exception: that is fine here
            closing.add(client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null));
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(200);
    }

    /** One Engine.IO long-polling session: open, CONNECT, a poll, then close. */
    private void pollOnce() throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=polling";
        String open = get(base);
        String sid = open.replaceFirst("(?s).*\"sid\":\"([^\"]+)\".*", "$1");
        String session = base + "&sid=" + sid;
        post(session, "40{\"token\":\"" + token("poller") + "\"}");
        get(session);
        post(session, "1");
    }

    private String token(String user) throws IOException, InterruptedException {
        String body = get("http://127.0.0.1:" + port + "/demo/token?user=" + user);
        return body.replaceFirst("(?s).*\"token\":\"([^\"]+)\".*", "$1");
    }

    private String get(String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).build(),
                         HttpResponse.BodyHandlers.ofString()).body();
    }

    private void post(String uri, String body) throws IOException, InterruptedException {
        http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                  HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A client of the training run: native frames, or Socket.IO packets over an Engine.IO WebSocket. */
    private final class TrainingClient implements WebSocket.Listener {
        private final int index;
        private final boolean socketIo;
        private final String token;
        private final StringBuilder partial = new StringBuilder();
        /** Completes with the client once the gateway said {@code connected} (native) or answered CONNECT (Socket.IO). */
        private final CompletableFuture<TrainingClient> ready = new CompletableFuture<>();
        private volatile WebSocket socket;
        private int nextAck;

        TrainingClient(int index, boolean socketIo, String token) {
            this.index = index;
            this.socketIo = socketIo;
            this.token = token;
        }

        synchronized void send(String event, String data) {
            int ack = ++nextAck;
            sendRaw(socketIo ? "42" + ack + "[\"" + event + "\"," + data + "]"
                            : "{\"event\":\"" + event + "\",\"data\":" + data + ",\"ack\":" + ack + "}");
        }

        synchronized void sendRaw(String text) {
            try {
                socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                // a socket the gateway closed (rate limit, a full queue) is of no further use to training
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            this.socket = webSocket;
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                framesReceived.incrementAndGet();
                if (socketIo && text.startsWith("0{")) {
                    sendRaw("40{\"token\":\"" + token + "\"}");
                } else if (socketIo && text.equals("2")) {
                    sendRaw("3");
                } else if (socketIo ? text.startsWith("40") : text.contains("\"connected\"")) {
                    ready.complete(this);
                }
            }
            return null;
        }
    }
}
