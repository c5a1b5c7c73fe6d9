package dev.gateway.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.gateway.protocol.store.EventStream;

import io.helidon.config.Config;

/**
 * The gateway's settings, read once from the {@code gateway} configuration node (defaults in
 * {@code application.yaml}).
 *
 * @param nodeId              unique id of this node among the nodes sharing one Redis
 * @param devMode             development mode: embedded Redis, development JWT secret
 * @param redisUrl            where Redis is
 * @param redisUrlSet         whether REDIS_URL was given (then the gateway never starts an embedded Redis)
 * @param redisTimeout        connect and command timeout for Redis
 * @param redisPoolSize       pooled Redis connections for commands
 * @param jwt                 token verification settings
 * @param allowedOrigins      allowed {@code Origin} values; empty allows any
 * @param heartbeatInterval   how often clients are told to send {@code presence:ping}
 * @param presenceTtl         a socket with no {@code presence:ping} for this long is closed 4408
 * @param maxMessageBytes     largest client message, however fragmented
 * @param rateLimitPerSecond  frames per socket per second; bursts of twice that
 * @param outboundQueueFrames frames queued for one socket before it is closed 4503
 * @param presenceNotify      who hears about presence changes
 * @param chatMembership      who may join a chat
 * @param chatDurability      when a chat message counts as accepted
 * @param events              whether and how the event stream {@code gw:events} is written
 * @param nodeHeartbeat       how often this node rewrites its {@code ws:node} record
 * @param nodeTtl             TTL of the {@code ws:node} record
 * @param maxChatsPerSocket   chats one socket may have joined at once
 * @param maxPresenceSubscriptionsPerSocket users one socket may watch at once ({@code presence:subscribe} and the
 *                                          contacts followed at connect together)
 * @param maxSocketsPerUser   live sockets one user may have on all nodes together
 */
public record GatewaySettings(String nodeId,
                              boolean devMode,
                              String redisUrl,
                              boolean redisUrlSet,
                              Duration redisTimeout,
                              int redisPoolSize,
                              JwtSettings jwt,
                              List<String> allowedOrigins,
                              Duration heartbeatInterval,
                              Duration presenceTtl,
                              int maxMessageBytes,
                              int rateLimitPerSecond,
                              int outboundQueueFrames,
                              PresenceNotify presenceNotify,
                              ChatMembership chatMembership,
                              ChatDurability chatDurability,
                              EventStream events,
                              Duration nodeHeartbeat,
                              Duration nodeTtl,
                              int maxChatsPerSocket,
                              int maxPresenceSubscriptionsPerSocket,
                              int maxSocketsPerUser) {

    /** Who receives {@code presence:online} / {@code presence:offline}. */
    public enum PresenceNotify {
        /** Subscribers, contacts and (for offline) chat co-members. */
        INTERESTED,
        /** Every socket: for small deployments. */
        ALL
    }

    /** Who may join a chat room. */
    public enum ChatMembership {
        /** Any authenticated user. */
        OPEN,
        /** Only the users in {@code chat:{chatId}:members}. */
        REDIS
    }

    /** When {@code chat:send} answers {@code ACCEPTED}. */
    public enum ChatDurability {
        /** Once the master stored the message. */
        LOCAL,
        /** Once a replica confirmed it too (Redis {@code WAIT}): it survives the loss of the master. */
        REPLICATED
    }

    /**
     * JWT verification settings.
     *
     * @param secret   HMAC secret (HS256/384/512)
     * @param jwksPath path of a JWKS file (RS256/ES256)
     * @param issuer   required {@code iss}
     * @param audience required {@code aud}
     */
    public record JwtSettings(Optional<String> secret, Optional<String> jwksPath, Optional<String> issuer,
                              Optional<String> audience) {
    }

    /**
     * Reads the settings.
     *
     * @throws StartupException when a value is out of range, with a one-line reason
     */
    public static GatewaySettings create(Config gateway) {
        JwtSettings jwt = new JwtSettings(text(gateway.get("jwt.secret")),
                                          text(gateway.get("jwt.jwks")),
                                          text(gateway.get("jwt.issuer")),
                                          text(gateway.get("jwt.audience")));
        List<String> origins = text(gateway.get("frontend-url"))
                .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        Duration heartbeat = seconds(gateway, "heartbeat-interval-seconds");
        Duration presenceTtl = seconds(gateway, "presence-ttl-seconds");
        Duration nodeHeartbeat = seconds(gateway, "node-heartbeat-seconds");
        Duration nodeTtl = seconds(gateway, "node-ttl-seconds");
        if (nodeTtl.compareTo(nodeHeartbeat) <= 0) {
            throw new StartupException("NODE_TTL_SECONDS must be larger than NODE_HEARTBEAT_SECONDS");
        }
        return new GatewaySettings(text(gateway.get("node-id")).orElseGet(GatewaySettings::defaultNodeId),
                                   gateway.get("dev-mode").asBoolean().orElse(false),
                                   gateway.get("redis.url").asString().get(),
                                   gateway.get("redis.url-set").asBoolean().orElse(false),
                                   Duration.ofMillis(ConfigValues.positive(gateway, "redis.timeout-millis")),
                                   ConfigValues.positive(gateway, "redis.pool-size"),
                                   jwt,
                                   origins,
                                   heartbeat,
                                   presenceTtl,
                                   ConfigValues.positive(gateway, "max-frame-bytes"),
                                   ConfigValues.positive(gateway, "rate-limit-per-second"),
                                   ConfigValues.positive(gateway, "outbound-queue-frames"),
                                   choice(gateway, "presence-notify", PresenceNotify.class),
                                   choice(gateway, "chat-membership", ChatMembership.class),
                                   choice(gateway, "chat-durability", ChatDurability.class),
                                   events(gateway),
                                   nodeHeartbeat,
                                   nodeTtl,
                                   ConfigValues.positive(gateway, "max-chats-per-socket"),
                                   ConfigValues.positive(gateway, "max-presence-subscriptions-per-socket"),
                                   ConfigValues.positive(gateway, "max-sockets-per-user"));
    }

    private static EventStream events(Config gateway) {
        try {
            return EventStream.of(text(gateway.get("events")), text(gateway.get("events-maxlen")));
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static Optional<String> text(Config node) {
        return node.asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
    }

    private static Duration seconds(Config gateway, String key) {
        return Duration.ofSeconds(ConfigValues.positive(gateway, key));
    }

    private static <E extends Enum<E>> E choice(Config gateway, String key, Class<E> type) {
        String raw = gateway.get(key).asString().get().trim();
        try {
            return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StartupException(EnvironmentAliases.variableFor(key) + " must be one of "
                                               + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT)
                                               + ", got '" + raw + "'");
        }
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "gateway";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
