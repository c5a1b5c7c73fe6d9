package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.config.Config;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;

/**
 * The node's only connection selector: every accepted TCP connection comes here first, before a byte is read, and
 * is served by Helidon's HTTP/1.1 connection with the gateway's {@link WebSocketUpgrader} in place of Helidon's.
 * On the way it enforces (PROTOCOL section 4):
 * <ul>
 *   <li>{@link ConnectionSettings#maxConnections()}: a connection beyond it is answered {@code 503} at once and
 *       closed, so the node never runs out of file descriptors (an {@code accept} failing with EMFILE would stop
 *       Helidon's listener) and the refusal is immediate and clean. Helidon's own {@code max-tcp-connections}
 *       stops accepting instead: the connections beyond it wait in the kernel's backlog, unanswered.</li>
 *   <li>{@link ConnectionSettings#handshakeTimeout()}: a connection whose request headers are not complete within
 *       it (counted from the accept for the first request, from the request line for later ones on a kept-alive
 *       connection) is closed. Helidon's {@code idle-connection-timeout} cannot do this: it interrupts a connection
 *       only while it waits for a request line, and it would also end the connections that carry Socket.IO's 25 s
 *       long-polling requests.</li>
 * </ul>
 * Helidon adds a selector for every HTTP/1.1 protocol configuration of the listener, and with two selectors it reads
 * the first bytes before asking either, so the gateway's server has no HTTP/1.1 protocol configuration of its own
 * ({@code Gateway.setup}); its options come from {@code server.http_1_1} instead.
 * <pre>
 *   accept ──► count ≤ max? ──no──► 503, close
 *                 │ yes: deadline armed
 *                 ▼
 *   Http1Connection: request line, headers ──► deadline cancelled ──► HTTP routing, or upgrade ──► WebSocketConnection
 *                 (deadline passes first: socket closed)
 * </pre>
 */
public final class ConnectionGuard implements ServerConnectionSelector {
    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    // Helidon looks the upgrader up by the exact Upgrade value; the token is case-insensitive (RFC 6455 4.2.1)
    private static final List<String> UPGRADE_SPELLINGS = List.of("websocket", "WebSocket", "Websocket", "WEBSOCKET");
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final byte[] REFUSAL = refusal("{\"error\":\"unavailable\",\"message\":\"connection limit reached\"}");

    private final ServerConnectionSelector http1;
    private final int maxConnections;
    private final Duration handshakeTimeout;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<ConnectionContext, Deadline> deadlines = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile long lastWarningMillis = Long.MIN_VALUE;

    /**
     * @param http1           Helidon's HTTP/1.1 options ({@code Http1Config}) for the node's connections
     * @param webSocket       Helidon's WebSocket options (origins, largest frame)
     * @param maxMessageBytes largest WebSocket message however it is fragmented
     * @param scheduler       runs the deadlines
     */
    public ConnectionGuard(ConnectionSettings settings, Config http1, WsConfig webSocket, int maxMessageBytes,
                           ScheduledExecutorService scheduler, Clock clock) {
        this.maxConnections = settings.maxConnections();
        this.handshakeTimeout = settings.handshakeTimeout();
        this.scheduler = scheduler;
        this.clock = clock;
        WebSocketUpgrader upgrader = new WebSocketUpgrader(webSocket, maxMessageBytes, scheduler);
        var selector = Http1ConnectionSelector.builder()
                .config(Http1Config.builder().config(http1).addReceiveListener(new HeadersDone()).build());
        UPGRADE_SPELLINGS.forEach(spelling -> selector.putUpgrader(spelling, upgrader));
        this.http1 = selector.build();
    }

    /** Open connections now (refused ones not counted). */
    public int open() {
        return open.get();
    }

    /** Connections refused over the cap so far. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed so far because their request headers were late. */
    public long timedOut() {
        return timedOut.get();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused(ctx);
            return new Refused(ctx);
        }
        arm(ctx);
        return new Guarded(ctx, http1.connection(ctx));
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    private void arm(ConnectionContext ctx) {
        Deadline deadline = new Deadline(ctx);
        if (deadlines.putIfAbsent(ctx, deadline) == null) {
            try {
                deadline.future = scheduler.schedule(deadline, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                deadlines.remove(ctx, deadline); // the node is stopping
            }
        }
    }

    private void disarm(ConnectionContext ctx) {
        Deadline deadline = deadlines.remove(ctx);
        if (deadline != null && deadline.future != null) {
            deadline.future.cancel(false);
        }
    }

    private void ended(ConnectionContext ctx) {
        disarm(ctx);
        open.decrementAndGet();
    }

    private void refused(ConnectionContext ctx) {
        long count = refused.incrementAndGet();
        long now = clock.millis();
        LOG.log(System.Logger.Level.DEBUG, "event=connection-refused peer={0} max-connections={1}",
                ctx.remotePeer().host(), Integer.toString(maxConnections));
        if (lastWarningMillis == Long.MIN_VALUE || now - lastWarningMillis >= WARN_EVERY.toMillis()) {
            lastWarningMillis = now;
            LOG.log(System.Logger.Level.WARNING, "event=connection-limit max-connections={0} refused-total={1} "
                    + "note=\"new connections are answered 503 until some close (MAX_CONNECTIONS)\"",
                    Integer.toString(maxConnections), Long.toString(count));
        }
    }

    private static byte[] refusal(String body) {
        return ("HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Closes a connection whose request headers are late. Armed, cancelled and ended on the connection's thread. */
    private final class Deadline implements Runnable {
        private final ConnectionContext ctx;
        private ScheduledFuture<?> future;

        private Deadline(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void run() {
            if (deadlines.remove(ctx, this)) {
                timedOut.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "event=handshake-timeout peer={0} timeout-ms={1}", ctx.remotePeer().host(),
                        Long.toString(handshakeTimeout.toMillis()));
                try {
                    ctx.serverSocket().close(); // the blocked read fails and Helidon ends the connection quietly
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.TRACE, "closing a late connection failed: {0}", e.toString());
                }
            }
        }
    }

    /** Helidon's HTTP/1.1 receive callbacks: the headers of a request are complete; a later request began. */
    private final class HeadersDone implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            arm(ctx); // a later request on a kept-alive connection (the first one's deadline is still armed)
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            disarm(ctx);
        }
    }

    /** Helidon's HTTP/1.1 connection, counted until it ends. */
    private final class Guarded implements ServerConnection, InterruptableTask<Void> {
        private final ConnectionContext ctx;
        private final ServerConnection delegate;

        private Guarded(ConnectionContext ctx, ServerConnection delegate) {
            this.ctx = ctx;
            this.delegate = delegate;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                ended(ctx);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }

    /** A connection over the cap: 503 and closed, before its request is read. */
    private static final class Refused implements ServerConnection {
        private final ConnectionContext ctx;

        private Refused(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void handle(Limit limit) {
            try {
                ctx.dataWriter().writeNow(BufferData.create(REFUSAL));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.TRACE, "refusing a connection failed: {0}", e.toString());
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            try {
                ctx.serverSocket().close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.TRACE, "closing a refused connection failed: {0}", e.toString());
            }
        }
    }
}
