package dev.gateway.protocol.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is: parsed from a {@code redis://[user:password@]host[:port][/db]} or {@code rediss://} URL, or from
 * {@code redis-sentinel://[user:password@]host:port[,host:port...]/MASTER_NAME[/db]}, where the hosts are Sentinels
 * that name the current master (the credentials and database are the master's; the Sentinels are asked without).
 *
 * @param url         the URL as given
 * @param hostAndPort the Redis server; with Sentinel, the first Sentinel
 * @param sentinel    the Sentinels and the master name, for a {@code redis-sentinel://} URL
 */
public record RedisEndpoint(String url, HostAndPort hostAndPort, Optional<String> user, Optional<String> password,
                            int database, boolean tls, Optional<Sentinel> sentinel) {
    public static final String DEFAULT_URL = "redis://localhost:6379";
    private static final String SENTINEL_SCHEME = "redis-sentinel://";
    private static final int SENTINEL_PORT = 26379;

    /**
     * The Sentinels that watch a master.
     *
     * @param masterName the name the Sentinels monitor the master under
     * @param sentinels  where they are, in the order given
     */
    public record Sentinel(String masterName, List<HostAndPort> sentinels) {
        public Sentinel {
            sentinels = List.copyOf(sentinels);
        }
    }

    /**
     * Parses a Redis URL.
     *
     * @throws IllegalArgumentException with a message fit for one log or error line (never the password)
     */
    public static RedisEndpoint parse(String url) {
        String trimmed = url.trim();
        if (trimmed.regionMatches(true, 0, SENTINEL_SCHEME, 0, SENTINEL_SCHEME.length())) {
            return parseSentinel(url, trimmed.substring(SENTINEL_SCHEME.length()));
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid Redis URL " + mask(url) + ": " + e.getReason());
        }
        if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
            throw new IllegalArgumentException("Redis URL must start with redis://, rediss:// or redis-sentinel://, got "
                                                       + mask(url));
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
                                 JedisURIHelper.isRedisSSLScheme(uri),
                                 Optional.empty());
    }

    /** {@code rest}: {@code [user:password@]host:port[,host:port...]/MASTER_NAME[/db]}. */
    private static RedisEndpoint parseSentinel(String url, String rest) {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hosts = authority.substring(at + 1);
        List<HostAndPort> sentinels = new ArrayList<>();
        for (String host : hosts.split(",", -1)) {
            sentinels.add(hostAndPort(url, host.trim()));
        }
        String[] segments = path.split("/", -1);
        String masterName = segments[0];
        if (masterName.isEmpty()) {
            throw new IllegalArgumentException("Redis Sentinel URL names no master: " + mask(url)
                                                       + " (redis-sentinel://host:port[,host:port...]/MASTER_NAME[/db])");
        }
        int database = 0;
        if (segments.length > 2 || (segments.length == 2 && !segments[1].isEmpty())) {
            try {
                database = segments.length == 2 ? Integer.parseInt(segments[1]) : -1;
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw new IllegalArgumentException("Redis Sentinel URL has a bad database number: " + mask(url));
            }
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (!userInfo.isEmpty()) {
            // the credentials are those of a redis:// URL: let the same parser decode them
            URI credentials;
            try {
                credentials = new URI("redis://" + userInfo + "@localhost");
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("invalid Redis URL " + mask(url) + ": " + e.getReason());
            }
            user = Optional.ofNullable(JedisURIHelper.getUser(credentials)).filter(s -> !s.isEmpty());
            password = Optional.ofNullable(JedisURIHelper.getPassword(credentials)).filter(s -> !s.isEmpty());
        }
        return new RedisEndpoint(url, sentinels.getFirst(), user, password, database, false,
                                 Optional.of(new Sentinel(masterName, sentinels)));
    }

    private static HostAndPort hostAndPort(String url, String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Redis Sentinel URL has an empty host: " + mask(url));
        }
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
            return new HostAndPort(host, SENTINEL_PORT);
        }
        try {
            int port = Integer.parseInt(host.substring(colon + 1));
            if (port < 1 || port > 65_535 || colon == 0) {
                throw new NumberFormatException();
            }
            return new HostAndPort(host.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Redis Sentinel URL has a bad host:port '" + host + "': " + mask(url));
        }
    }

    /** The URL with any password replaced by {@code ***}, for logs. */
    public String masked() {
        return mask(url);
    }

    /** True for the default local address, where the gateway may start an embedded Redis. */
    public boolean isLocalDefault() {
        return !tls && sentinel.isEmpty() && hostAndPort.getPort() == 6379
                && ("localhost".equals(hostAndPort.getHost()) || "127.0.0.1".equals(hostAndPort.getHost()));
    }

    /** Client settings: credentials, database, TLS and the given connect and command timeout. */
    public JedisClientConfig clientConfig(Duration timeout, String clientName) {
        return clientConfig(timeout, timeout, clientName);
    }

    /**
     * Client settings for a connection that blocks in reads (a subscriber): {@code blockingReadTimeout} bounds each
     * read while it waits for messages.
     */
    public JedisClientConfig clientConfig(Duration timeout, Duration blockingReadTimeout, String clientName) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .blockingSocketTimeoutMillis((int) blockingReadTimeout.toMillis())
                .database(database)
                .ssl(tls)
                .clientName(clientName);
        user.ifPresent(builder::user);
        password.ifPresent(builder::password);
        return builder.build();
    }

    /** Settings for asking the Sentinels: no credentials (those are the master's), the given timeout. */
    public JedisClientConfig sentinelConfig(Duration timeout, String clientName) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .clientName(clientName)
                .build();
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
