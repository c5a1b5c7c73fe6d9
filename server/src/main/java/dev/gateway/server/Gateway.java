package dev.gateway.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.protocol.store.RedisConnector;
import dev.gateway.protocol.store.RedisEndpoint;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.server.api.ApiSettings;
import dev.gateway.server.api.ServerApi;
import dev.gateway.server.auth.JwtTokenVerifier;
import dev.gateway.server.chat.ChatService;
import dev.gateway.server.bus.PresenceChannel;
import dev.gateway.server.bus.RedisSubscriber;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.config.StartupException;
import dev.gateway.server.demo.DemoPage;
import dev.gateway.server.connection.ConnectionGuard;
import dev.gateway.server.connection.ConnectionSettings;
import dev.gateway.server.dispatch.ChatEvents;
import dev.gateway.server.dispatch.AuthEvents;
import dev.gateway.server.dispatch.PresenceEvents;
import dev.gateway.server.dispatch.EventRouter;
import dev.gateway.server.client.ClientLifecycle;
import dev.gateway.server.client.ClientSweeper;
import dev.gateway.server.node.EmbeddedRedis;
import dev.gateway.server.node.NodeCommandHandler;
import dev.gateway.server.node.NodeHeartbeat;
import dev.gateway.server.node.NodeRecovery;
import dev.gateway.server.node.RedisMonitor;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.presence.PresenceFanout;
import dev.gateway.server.presence.PresenceInterest;
import dev.gateway.server.presence.PresenceService;
import dev.gateway.server.room.ChatCatchUp;
import dev.gateway.server.room.LocalRooms;
import dev.gateway.server.room.RoomFanout;
import dev.gateway.server.room.RoomPublisher;
import dev.gateway.server.room.RoomService;
import dev.gateway.server.socketio.EngineIoServer;
import dev.gateway.server.socketio.SocketIoSettings;
import dev.gateway.server.websocket.BrowserCors;
import dev.gateway.server.websocket.SocketIoRoutes;
import dev.gateway.server.websocket.WebSocketEndpoint;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.websocket.WsConfig;
import redis.clients.jedis.RedisClient;

/**
 * One gateway node: wires the parts, starts them in order, and stops them gracefully (close every socket 1001,
 * remove this node's records from Redis, publish the offline events that follow).
 */
public final class Gateway {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    private static final Duration PING_FLUSH = Duration.ofMillis(500);
    private static final Duration CLIENT_SWEEP = Duration.ofMillis(250);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Duration REDIS_CHECK = Duration.ofMillis(250);
    /** After a Redis restart, how long the other nodes get to register their sockets again before removals publish. */
    private static final Duration RECOVERY_GRACE = Duration.ofSeconds(2);
    /** The listener of {@code API_PORT}: the server API and the admin page only. */
    private static final String API_SOCKET = "api";

    private final GatewaySettings settings;
    private final Optional<EmbeddedRedis> embeddedRedis;
    private final RedisClient redis;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService executor;
    private final ClientHub hub;
    private final ClientLifecycle lifecycle;
    private final NodeHeartbeat heartbeat;
    private final RedisSubscriber subscriber;
    private final ChatCatchUp catchUp;
    private final RoomFanout roomFanout;
    private final RedisMonitor monitor;
    private final WebSocketEndpoint webSocket;
    private final SocketIoRoutes socketIo;
    private final Optional<DemoPage> demo;
    private final ApiSettings apiSettings;
    private final Optional<ServerApi> api;
    private final ObserveFeature observe;
    private final WsConfig webSocketConfig;
    private final ConnectionGuard connections;
    private final ClientSweeper sweeper;
    private final PresenceService presence;
    private final String startLine;
    private volatile WebServer server;
    private volatile boolean draining;

    private Gateway(GatewaySettings settings, SocketIoSettings socketIoSettings, ConnectionSettings connectionSettings,
                    ApiSettings apiSettings, Config http1, Clock clock) {
        this.settings = settings;
        this.apiSettings = apiSettings;
        RedisEndpoint endpoint = parseRedisUrl(settings.redisUrl());
        JwtTokenVerifier verifier = JwtTokenVerifier.create(settings.jwt(),
                                                            settings.devMode() ? Optional.of(DevelopmentMode.JWT_SECRET)
                                                                               : Optional.empty(),
                                                            clock);
        if (settings.devMode() && settings.jwt().secret().isEmpty() && settings.jwt().jwksPath().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "event=dev-jwt-secret note=\"development mode: tokens are verified with the "
                    + "fixed development secret (gatewayctl token uses it too); set JWT_SECRET in production\"");
        }
        if (settings.allowedOrigins().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "event=any-origin note=\"FRONTEND_URL is unset: WebSocket upgrades and "
                    + "cross-origin requests (CORS) from any Origin are accepted\"");
        }
        if (apiSettings.developmentKey()) {
            LOG.log(System.Logger.Level.WARNING, "event=dev-api-key note=\"development mode: the server API and /admin accept "
                    + "the fixed development key " + DevelopmentMode.API_KEY + "; set GATEWAY_API_KEY in production\"");
        }
        this.embeddedRedis = EmbeddedRedis.startIfNeeded(endpoint, settings.redisUrlSet());

        ObjectMapper mapper = Json.mapper();
        FrameCodec codec = new FrameCodec(mapper);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(2, Thread.ofPlatform().name("gateway-timer-", 0)
                .daemon().factory());
        timers.setRemoveOnCancelPolicy(true); // a handshake deadline per connection, nearly all cancelled
        this.scheduler = timers;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gateway-", 0).factory());
        RedisConnector connector = new RedisConnector(endpoint, settings.redisTimeout(), "gateway:" + settings.nodeId());
        this.redis = openPool(connector, settings.redisPoolSize());
        RedisConnector subscriberConnector = connector.named("gateway-sub:" + settings.nodeId());

        ConnectionStore connections = new ConnectionStore(redis, mapper, settings.events());
        PresenceStore presenceStore = new PresenceStore(redis, mapper, connections);
        NodeStore nodes = new NodeStore(redis, mapper, connections);
        ChatStore chatStore = new ChatStore(redis, settings.chatDurability() == GatewaySettings.ChatDurability.REPLICATED
                                                   ? Optional.of(replicationWait(settings.redisTimeout()))
                                                   : Optional.empty(), settings.events());

        this.hub = new ClientHub();
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), hub);
        LocalRooms localRooms = new LocalRooms();
        this.catchUp = new ChatCatchUp(chatStore, codec, this::closeBehindStream);
        this.roomFanout = new RoomFanout(localRooms, catchUp::request);
        this.subscriber = new RedisSubscriber(subscriberConnector, roomFanout,
                                              room -> !localRooms.members(room).isEmpty(), scheduler);
        RoomService rooms = new RoomService(localRooms, subscriber, roomFanout, chatStore::lastId);
        PresenceInterest interest = new PresenceInterest();
        PresenceService presence = new PresenceService(connections, presenceStore, interest, hub, settings, metrics,
                                                       this::checkRedis, clock);
        this.lifecycle = new ClientLifecycle(hub, presence, rooms, codec, metrics, settings, executor, clock);
        this.heartbeat = new NodeHeartbeat(nodes, presenceStore, hub, settings.nodeId(), hostName(), settings.nodeTtl(),
                                           settings.presenceTtl(), clock);
        this.monitor = new RedisMonitor(redis, connector::dropIdleConnections,
                                        new NodeRecovery(heartbeat, presence, connections, chatStore, hub, settings.nodeId(),
                                                         scheduler, RECOVERY_GRACE, subscriber::wake));

        PresenceFanout presenceFanout = new PresenceFanout(interest, localRooms, hub, codec, settings.presenceNotify());
        RoomPublisher publisher = new RoomPublisher(redis, metrics);
        ChatService chat = new ChatService(chatStore, rooms, settings.chatMembership(), publisher, codec, metrics,
                                           monitor::isAvailable, clock, settings.maxChatsPerSocket());
        subscriber.handle(RedisKeys.PRESENCE_CHANNEL, new PresenceChannel(mapper, presenceFanout))
                .handle(RedisKeys.nodeChannel(settings.nodeId()),
                        new NodeCommandHandler(mapper, hub, lifecycle, connections, settings.nodeId(), executor, clock, chat::leave))
                .onReconnect(monitor::check);
        this.api = apiSettings.key().map(key -> new ServerApi(
                key, new ServerApi.Parts(publisher, chat, chatStore, connections, nodes, presenceStore), monitor::isAvailable,
                mapper, codec, settings.maxMessageBytes(), settings.redisTimeout(), clock));
        EventRouter router = new EventRouter(codec, metrics, clock, lifecycle);
        new PresenceEvents(presence).register(router);
        new AuthEvents(verifier).register(router);
        new ChatEvents(chat).register(router);
        monitor.check();
        safely("remove-leftovers", heartbeat::removeLeftovers); // before any socket: see NodeHeartbeat

        this.webSocket = new WebSocketEndpoint(verifier, settings.allowedOrigins(),
                                               () -> monitor.isAvailable() && heartbeat.leftoversRemoved(), () -> draining,
                                               lifecycle, router, metrics, mapper, clock);
        EngineIoServer engineIo = new EngineIoServer(socketIoSettings, new SocketIoCodec(mapper), lifecycle, router, scheduler,
                                                     executor, clock);
        this.socketIo = new SocketIoRoutes(engineIo, webSocket.authenticator(), BrowserCors.create(settings.allowedOrigins()),
                                           mapper);
        // the demo page and its token route only in development mode, and tokens only while the development secret is used
        boolean developmentSecret = settings.jwt().secret().isEmpty() && settings.jwt().jwksPath().isEmpty();
        this.demo = settings.devMode()
                    ? Optional.of(new DemoPage(developmentSecret ? Optional.of(DevelopmentMode.JWT_SECRET) : Optional.empty(),
                                               mapper, clock))
                    : Optional.empty();
        this.observe = ObserveFeature.just(
                HealthObserver.builder()
                        .details(true)
                        .addCheck(() -> HealthCheckResponse.builder()
                                          .status(monitor.isAvailable())
                                          .detail("redis", endpoint.masked())
                                          .build(), HealthCheckType.READINESS, "redis")
                        .build(),
                MetricsObserver.create());
        this.webSocketConfig = WsConfig.builder().name("websocket").maxFrameLength(settings.maxMessageBytes()).build();
        this.connections = new ConnectionGuard(connectionSettings, http1, webSocketConfig, settings.maxMessageBytes(),
                                               scheduler, clock);
        metrics.tcpConnections(this.connections, ConnectionGuard::open, ConnectionGuard::refused, ConnectionGuard::timedOut);
        this.sweeper = new ClientSweeper(hub, lifecycle, presence, settings.heartbeatInterval(), clock);
        this.presence = presence;
        this.startLine = "event=started node=" + settings.nodeId() + " redis=" + endpoint.masked() + " auth=" + verifier.mode()
                + " presence-notify=" + settings.presenceNotify().name().toLowerCase(java.util.Locale.ROOT)
                + " chat-durability=" + settings.chatDurability().name().toLowerCase(java.util.Locale.ROOT)
                + " events=" + (settings.events().enabled() ? "on" : "off")
                + " dev-mode=" + settings.devMode() + " max-connections=" + connectionSettings.maxConnections()
                + " handshake-timeout-ms=" + connectionSettings.handshakeTimeout().toMillis()
                + " api=" + (apiSettings.enabled() ? apiSettings.port().map(p -> "api-port").orElse("port") : "off");
    }

    /**
     * Adds the gateway's protocols, routes and observability to a server being configured. {@link #start} and the
     * server tests both call it, so tests run the production wiring.
     */
    void setup(WebServerConfig.Builder server) {
        HttpRouting.Builder http = HttpRouting.builder();
        webSocket.httpRouting(http);
        socketIo.httpRouting(http);
        if (api.isPresent() && apiSettings.port().isPresent()) {
            HttpRouting.Builder internal = HttpRouting.builder();
            api.get().httpRouting(internal);
            server.putSocket(API_SOCKET, socket -> socket.port(apiSettings.port().get()).host(apiSettings.host()))
                    .routing(API_SOCKET, internal);
        }
        if (api.isPresent() && apiSettings.port().isEmpty()) {
            api.get().httpRouting(http);
        } else {
            ServerApi.notServed(http);
        }
        demo.ifPresent(page -> page.httpRouting(http));
        server.shutdownHook(false)
                // HTTP/1.1 comes through the gateway's own selector (handshake deadline, connection cap, strict
                // WebSocket): a protocol configuration of Helidon's would add a second selector next to it
                .protocolsDiscoverServices(false)
                .protocols(List.of(webSocketConfig))
                .addConnectionSelector(connections)
                .addFeature(observe)
                .addRouting(http)
                .addRouting(socketIo.wsRouting(webSocket.wsRouting()));
    }

    /** Begins the node's work once its server listens: heartbeat, sweeps, pub/sub. */
    void started(WebServer server) {
        this.server = server;
        heartbeat.port(server.port());
        catchUp.start(roomFanout);
        subscriber.start();
        every(REDIS_CHECK, "redis-monitor", monitor::check);
        every(settings.nodeHeartbeat(), "node-heartbeat", heartbeat::beat);
        every(settings.nodeHeartbeat(), "cluster-sweep", heartbeat::sweepCluster);
        every(PING_FLUSH, "presence-flush", presence::flushPings);
        every(CLIENT_SWEEP, "client-sweep", sweeper::sweep);
        safely("node-heartbeat", heartbeat::beat);
        LOG.log(System.Logger.Level.INFO, "gateway listening on port {0}", Integer.toString(server.port()));
        if (api.isPresent() && apiSettings.port().isPresent()) {
            LOG.log(System.Logger.Level.INFO, "api listening on port {0}", Integer.toString(server.port(API_SOCKET)));
        }
        LOG.log(System.Logger.Level.INFO, "{0} port={1}", startLine, Integer.toString(server.port()));
    }

    /**
     * Starts a node.
     *
     * @throws StartupException with a one-line reason when it cannot
     */
    public static Gateway start(Config config, Clock clock) {
        Gateway gateway = create(config, clock);
        WebServerConfig.Builder builder = WebServer.builder().config(config.get("server"));
        gateway.setup(builder);
        WebServer server = builder.build().start();
        if (!server.isRunning() || server.port() < 0) {
            gateway.stopAfterFailedStart();
            throw new StartupException("cannot listen on port " + config.get("server.port").asString().orElse("8080")
                                               + " (in use, or not allowed)");
        }
        gateway.started(server);
        return gateway;
    }

    /** A node with its Redis connections open, not yet serving: {@link #setup} it into a server, then {@link #started}. */
    static Gateway create(Config config, Clock clock) {
        GatewaySettings settings = GatewaySettings.create(config.get("gateway"));
        return new Gateway(settings, SocketIoSettings.create(config.get("gateway"), settings),
                           ConnectionSettings.create(config.get("gateway"), settings.redisPoolSize()),
                           ApiSettings.create(config, settings.devMode()), config.get("server.http_1_1"), clock);
    }

    /** The port this node listens on; -1 until it is started. */
    public int port() {
        WebServer current = server;
        return current == null ? -1 : current.port();
    }

    public String nodeId() {
        return settings.nodeId();
    }

    /**
     * Graceful stop: refuse new sockets, close every socket with 1001, remove them and this node from Redis
     * (publishing the offline events that follow), then stop the server and the Redis connections.
     */
    public void stop() {
        if (draining) {
            return;
        }
        draining = true;
        LOG.log(System.Logger.Level.INFO, "event=stopping node={0} sockets={1}", settings.nodeId(), hub.size());
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (Client client : List.copyOf(hub.all())) {
            removals.add(lifecycle.end(client, DisconnectReason.SHUTDOWN, "server shutting down"));
        }
        try {
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "event=stop-incomplete error=\"{0}\"", e.toString());
        }
        awaitCloseFrames();
        safely("node-forget", heartbeat::forget);
        subscriber.stop();
        catchUp.stop();
        scheduler.shutdownNow();
        if (server != null) {
            server.stop();
        }
        executor.shutdownNow();
        redis.close();
        embeddedRedis.ifPresent(EmbeddedRedis::close);
        LOG.log(System.Logger.Level.INFO, "event=stopped node={0}", settings.nodeId());
    }

    private void stopAfterFailedStart() {
        subscriber.stop();
        catchUp.stop();
        scheduler.shutdownNow();
        executor.shutdownNow();
        redis.close();
        embeddedRedis.ifPresent(EmbeddedRedis::close);
    }

    private void awaitCloseFrames() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (!lifecycle.closeFramesPending()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void checkRedis() {
        monitor.check();
    }

    /** A member of a chat room that missed messages its stream no longer holds: its client recovers with sinceId. */
    private void closeBehindStream(Client client) {
        lifecycle.end(client, DisconnectReason.SLOW_CONSUMER, "missed messages the chat no longer stores: rejoin with sinceId");
    }

    private void every(Duration period, String name, Runnable task) {
        scheduler.scheduleWithFixedDelay(() -> safely(name, task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a periodic task; a failure (Redis away, typically) is logged briefly and the schedule goes on. */
    private static void safely(String name, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "event=task-failed task={0} error=\"{1}\"", name, e.toString());
        }
    }

    /** WAIT's own limit, a little below the command timeout, so that its answer arrives before the read gives up. */
    private static Duration replicationWait(Duration redisTimeout) {
        return Duration.ofMillis(Math.max(100, redisTimeout.toMillis() * 4 / 5));
    }

    private static RedisClient openPool(RedisConnector connector, int size) {
        try {
            return connector.pooledClient(size);
        } catch (RuntimeException e) {
            // only with Sentinel: Jedis asks the Sentinels for the master at once
            throw new StartupException("cannot find the Redis master through the Sentinels of " + connector.endpoint().masked()
                                               + ": " + e.getMessage(), e);
        }
    }

    private static RedisEndpoint parseRedisUrl(String url) {
        try {
            return RedisEndpoint.parse(url);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
