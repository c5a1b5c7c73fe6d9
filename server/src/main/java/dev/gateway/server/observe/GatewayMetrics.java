package dev.gateway.server.observe;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import dev.gateway.server.auth.AuthenticationException;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The gateway's meters, served as Prometheus text at {@code /observe/metrics}. Meters are created once here, so the
 * hot path only increments fields.
 */
public final class GatewayMetrics {
    private final MeterRegistry registry;
    private final Counter connects;
    private final Map<DisconnectReason, Counter> disconnects = new EnumMap<>(DisconnectReason.class);
    private final Map<AuthenticationException.Reason, Counter> authFailures = new EnumMap<>(AuthenticationException.Reason.class);
    private final Counter originRefusals;
    private final Counter unavailableRefusals;
    private final Counter tooManyConnectionsRefusals;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter framesRefused;
    private final Timer redisLatency;
    private final Counter redisFailures;
    private final DistributionSummary heartbeatBatch;

    public GatewayMetrics(MeterRegistry registry, ClientHub hub) {
        this.registry = registry;
        registry.getOrCreate(Gauge.builder("gateway.connections.open", hub, h -> (double) h.size())
                                     .description("WebSocket connections open on this node"));
        connects = registry.getOrCreate(Counter.builder("gateway.connects").description("WebSocket connections accepted"));
        for (DisconnectReason reason : DisconnectReason.values()) {
            disconnects.put(reason, registry.getOrCreate(Counter.builder("gateway.disconnects")
                                                                 .description("WebSocket connections ended, by reason")
                                                                 .tags(List.of(Tag.create("reason", reason.tag())))));
        }
        for (AuthenticationException.Reason reason : AuthenticationException.Reason.values()) {
            authFailures.put(reason, registry.getOrCreate(Counter.builder("gateway.auth.failures")
                                                                  .description("Handshakes refused for their token, by reason")
                                                                  .tags(List.of(Tag.create("reason", reason.tag())))));
        }
        originRefusals = registry.getOrCreate(Counter.builder("gateway.handshake.refused")
                                                      .tags(List.of(Tag.create("reason", "origin"))));
        unavailableRefusals = registry.getOrCreate(Counter.builder("gateway.handshake.refused")
                                                           .tags(List.of(Tag.create("reason", "redis-unavailable"))));
        tooManyConnectionsRefusals = registry.getOrCreate(Counter.builder("gateway.handshake.refused")
                                                                  .tags(List.of(Tag.create("reason", "too-many-connections"))));
        framesIn = registry.getOrCreate(Counter.builder("gateway.frames.in").description("Client messages received"));
        framesOut = registry.getOrCreate(Counter.builder("gateway.frames.out").description("Frames written to clients"));
        framesRefused = registry.getOrCreate(Counter.builder("gateway.frames.rate.limited")
                                                     .description("Client messages refused by the rate limit"));
        redisLatency = registry.getOrCreate(Timer.builder("gateway.redis.command.latency")
                                                    .description("Latency of Redis commands, scripts and pipelines"));
        redisFailures = registry.getOrCreate(Counter.builder("gateway.redis.failures").description("Failed Redis calls"));
        heartbeatBatch = registry.getOrCreate(DistributionSummary.builder("gateway.presence.ping.batch")
                                                      .description("Sockets refreshed per pipelined Redis round trip"));
    }

    /**
     * The node's TCP connections, HTTP and WebSocket alike: open now (against {@code MAX_CONNECTIONS}), refused over
     * the cap, and closed because their request headers came too late ({@code HANDSHAKE_TIMEOUT_MILLIS}).
     *
     * @param source what counts them; the meters read it through a weak reference, so its owner must keep it
     */
    public <T> void tcpConnections(T source, ToIntFunction<T> open, ToLongFunction<T> refused, ToLongFunction<T> timedOut) {
        registry.getOrCreate(Gauge.builder("gateway.tcp.connections.open", source, s -> (double) open.applyAsInt(s))
                                     .description("TCP connections open on this node, HTTP and WebSocket"));
        registry.getOrCreate(FunctionalCounter.builder("gateway.tcp.connections.refused", source, refused::applyAsLong)
                                     .description("TCP connections refused with 503 over MAX_CONNECTIONS"));
        registry.getOrCreate(FunctionalCounter.builder("gateway.handshake.timeouts", source, timedOut::applyAsLong)
                                     .description("Connections closed for request headers not complete in time"));
    }

    public void connected() {
        connects.increment();
    }

    public void disconnected(DisconnectReason reason) {
        disconnects.get(reason).increment();
    }

    public void authFailed(AuthenticationException.Reason reason) {
        authFailures.get(reason).increment();
    }

    public void originRefused() {
        originRefusals.increment();
    }

    public void unavailableRefused() {
        unavailableRefusals.increment();
    }

    public void tooManyConnectionsRefused() {
        tooManyConnectionsRefusals.increment();
    }

    public void frameIn() {
        framesIn.increment();
    }

    public void frameOut() {
        framesOut.increment();
    }

    public void frameRateLimited() {
        framesRefused.increment();
    }

    public void heartbeatFlush(int sockets) {
        heartbeatBatch.record(sockets);
    }

    /** Runs one Redis call (a command, script or pipeline), timing it and counting failures. */
    public <T> T redis(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (RuntimeException e) {
            redisFailures.increment();
            throw e;
        } finally {
            redisLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
