package dev.gateway.server.config;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Maps the environment variable names of the contract (PROTOCOL section 1: {@code PORT}, {@code REDIS_URL}, ...)
 * onto the configuration keys of {@code application.yaml}. Helidon's own environment mapping would want
 * {@code GATEWAY_REDIS_URL}; operators expect the short names every gateway of this kind uses.
 */
public final class EnvironmentAliases {
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("PORT", "server.port"),
            Map.entry("HOST", "server.host"),
            Map.entry("GATEWAY_NODE_ID", "gateway.node-id"),
            Map.entry("GATEWAY_DEV_MODE", "gateway.dev-mode"),
            Map.entry("REDIS_URL", "gateway.redis.url"),
            Map.entry("REDIS_TIMEOUT_MILLIS", "gateway.redis.timeout-millis"),
            Map.entry("REDIS_POOL_SIZE", "gateway.redis.pool-size"),
            Map.entry("JWT_SECRET", "gateway.jwt.secret"),
            Map.entry("JWT_JWKS", "gateway.jwt.jwks"),
            Map.entry("JWT_ISSUER", "gateway.jwt.issuer"),
            Map.entry("JWT_AUDIENCE", "gateway.jwt.audience"),
            Map.entry("FRONTEND_URL", "gateway.frontend-url"),
            Map.entry("HEARTBEAT_INTERVAL_SECONDS", "gateway.heartbeat-interval-seconds"),
            Map.entry("PRESENCE_TTL_SECONDS", "gateway.presence-ttl-seconds"),
            Map.entry("MAX_FRAME_BYTES", "gateway.max-frame-bytes"),
            Map.entry("HANDSHAKE_TIMEOUT_MILLIS", "gateway.handshake-timeout-millis"),
            Map.entry("MAX_CONNECTIONS", "gateway.max-connections"),
            Map.entry("RATE_LIMIT_PER_SECOND", "gateway.rate-limit-per-second"),
            Map.entry("OUTBOUND_QUEUE_FRAMES", "gateway.outbound-queue-frames"),
            Map.entry("PRESENCE_NOTIFY", "gateway.presence-notify"),
            Map.entry("CHAT_MEMBERSHIP", "gateway.chat-membership"),
            Map.entry("CHAT_DURABILITY", "gateway.chat-durability"),
            Map.entry("EVENTS", "gateway.events"),
            Map.entry("EVENTS_MAXLEN", "gateway.events-maxlen"),
            Map.entry("NODE_HEARTBEAT_SECONDS", "gateway.node-heartbeat-seconds"),
            Map.entry("NODE_TTL_SECONDS", "gateway.node-ttl-seconds"),
            Map.entry("MAX_CHATS_PER_SOCKET", "gateway.max-chats-per-socket"),
            Map.entry("MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET", "gateway.max-presence-subscriptions-per-socket"),
            Map.entry("MAX_SOCKETS_PER_USER", "gateway.max-sockets-per-user"),
            Map.entry("GATEWAY_API_KEY", "gateway.api.key"),
            Map.entry("API_PORT", "gateway.api.port"),
            Map.entry("SOCKETIO_PING_INTERVAL_MILLIS", "gateway.socketio.ping-interval-millis"),
            Map.entry("SOCKETIO_PING_TIMEOUT_MILLIS", "gateway.socketio.ping-timeout-millis"),
            Map.entry("SOCKETIO_CONNECT_TIMEOUT_MILLIS", "gateway.socketio.connect-timeout-millis"));

    private EnvironmentAliases() {
    }

    /** The environment variable that sets a key under {@code gateway.}, for error messages operators can act on. */
    public static String variableFor(String gatewayKey) {
        return ALIASES.entrySet().stream()
                .filter(entry -> entry.getValue().equals("gateway." + gatewayKey))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("gateway." + gatewayKey);
    }

    /**
     * The gateway's configuration: the given environment (by its contract names) over {@code application.yaml}.
     */
    public static Config load(Map<String, String> environment) {
        Map<String, String> overrides = new HashMap<>();
        environment.forEach((name, value) -> {
            String key = ALIASES.get(name);
            if (key != null && value != null && !value.isBlank()) {
                overrides.put(key, value);
            }
        });
        if (environment.containsKey("REDIS_URL") && !environment.get("REDIS_URL").isBlank()) {
            overrides.put("gateway.redis.url-set", "true");
        }
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
