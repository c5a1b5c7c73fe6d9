package dev.gateway.protocol.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is: parsed from a {@code redis://[user:password@]host[:port][/db]} or {@code rediss://} URL.
 *
 * @param url the URL as given
 */
public record RedisEndpoint(String url, HostAndPort hostAndPort, Optional<String> user, Optional<String> password,
                            int database, boolean tls) {
    public static final String DEFAULT_URL = "redis://localhost:6379";

    /**
     * Parses a Redis URL.
     *
     * @throws IllegalArgumentException with a message fit for one log or error line (never the password)
     */
    public static RedisEndpoint parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid Redis URL " + mask(url) + ": " + e.getReason());
        }
        if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
            throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://, got " + mask(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Redis URL has no host: " + mask(url));
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        return new RedisEndpoint(url,
                                 new HostAndPort(uri.getHost(), port),
                                 Optional.ofNullable(JedisURIHelper.getUser(uri)).filter(s -> !s.isEmpty()),
                                 Optional.ofNullable(JedisURIHelper.getPassword(uri)).filter(s -> !s.isEmpty()),
                                 JedisURIHelper.getDBIndex(uri),
                                 JedisURIHelper.isRedisSSLScheme(uri));
    }

    /** The URL with any password replaced by {@code ***}, for logs. */
    public String masked() {
        return mask(url);
    }

    /** True for the default local address, where the gateway may start an embedded Redis. */
    public boolean isLocalDefault() {
        return !tls && hostAndPort.getPort() == 6379
                && ("localhost".equals(hostAndPort.getHost()) || "127.0.0.1".equals(hostAndPort.getHost()));
    }

    /** Client settings: credentials, database, TLS and the given connect and command timeout. */
    public JedisClientConfig clientConfig(Duration timeout, String clientName) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .database(database)
                .ssl(tls)
                .clientName(clientName);
        user.ifPresent(builder::user);
        password.ifPresent(builder::password);
        return builder.build();
    }

    /** The URL as logs and errors may show it: the user kept, everything else before the last '@' hidden. */
    @Override
    public String toString() {
        return "RedisEndpoint[" + masked() + "]";
    }

    static String mask(String url) {
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        int scheme = url.indexOf("://");
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String shown = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
        return url.substring(0, start) + shown + url.substring(at);
    }
}
