package dev.gateway.server.socketio;

import java.time.Duration;

import dev.gateway.server.config.ConfigValues;
import dev.gateway.server.config.GatewaySettings;

import io.helidon.config.Config;

/**
 * Settings of the Socket.IO endpoint (PROTOCOL section 8), under {@code gateway.socketio}.
 *
 * @param pingInterval   how long after the open packet, and after each pong, the server sends an Engine.IO ping
 *                       ({@code SOCKETIO_PING_INTERVAL_MILLIS}, 25000, Socket.IO's default)
 * @param pingTimeout    how long a pong may take before the session is closed ({@code SOCKETIO_PING_TIMEOUT_MILLIS},
 *                       20000); told to the client in the open packet, which drops the session itself when no ping
 *                       arrives within interval + timeout
 * @param connectTimeout how long a new session may take to send its CONNECT packet
 *                       ({@code SOCKETIO_CONNECT_TIMEOUT_MILLIS}, 45000, Socket.IO's {@code connectTimeout})
 * @param maxPayload     the open packet's {@code maxPayload}: {@code MAX_FRAME_BYTES}, the largest client message
 *                       (and the largest HTTP long-polling POST body)
 * @param pollingBuffer  packets an HTTP long-polling session holds for its next GET before it is closed as a slow
 *                       consumer ({@code OUTBOUND_QUEUE_FRAMES}, as the outbox)
 */
public record SocketIoSettings(Duration pingInterval, Duration pingTimeout, Duration connectTimeout, int maxPayload,
                               int pollingBuffer) {

    /**
     * Reads the Socket.IO settings from the {@code gateway} node; the payload and polling limits are the node's own
     * ({@code MAX_FRAME_BYTES}, {@code OUTBOUND_QUEUE_FRAMES}), read once by {@link GatewaySettings}.
     */
    public static SocketIoSettings create(Config gateway, GatewaySettings node) {
        return new SocketIoSettings(Duration.ofMillis(ConfigValues.positive(gateway, "socketio.ping-interval-millis")),
                                    Duration.ofMillis(ConfigValues.positive(gateway, "socketio.ping-timeout-millis")),
                                    Duration.ofMillis(ConfigValues.positive(gateway, "socketio.connect-timeout-millis")),
                                    node.maxMessageBytes(),
                                    node.outboundQueueFrames());
    }
}
