package dev.gateway.it.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.TestRedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Reads the Redis layout of PROTOCOL section 6. Key names are spelled here from the contract on purpose, not taken
 * from the product's own key class: these tests check the contract, not the implementation's idea of it. So is the
 * escaping of values inside names (version 2): {@code %} is written {@code %25}, {@code :} is written {@code %3A}.
 */
public final class GatewayRecords {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final TestRedis redis;

    private GatewayRecords(TestRedis redis) {
        this.redis = redis;
    }

    /** Readers of the gateway's Redis layout (PROTOCOL section 6) in this Redis. */
    public static GatewayRecords of(TestRedis redis) {
        return new GatewayRecords(redis);
    }

    private RedisClient client() {
        return redis.client();
    }

    /** Socket ids of every {@code ws:connection:*} key. */
    public Set<String> connectionIds() {
        Set<String> ids = new TreeSet<>();
        for (String key : redis.scan("ws:connection:*")) {
            ids.add(key.substring("ws:connection:".length()));
        }
        return ids;
    }

    /** The {@code ws:connection:{socketId}} record. */
    public Optional<JsonNode> connection(String socketId) {
        return Optional.ofNullable(client().get("ws:connection:" + escaped(socketId))).map(GatewayRecords::parse);
    }

    /** TTL in seconds of {@code ws:connection:{socketId}} (-2 when missing, -1 when none). */
    public long connectionTtl(String socketId) {
        return client().ttl("ws:connection:" + escaped(socketId));
    }

    public Set<String> userSockets(String userId) {
        return new TreeSet<>(client().smembers(userSocketsKey(userId)));
    }

    public static String userSocketsKey(String userId) {
        return "ws:user:" + escaped(userId) + ":connections";
    }

    public Set<String> deviceSockets(String userId, String deviceId) {
        return new TreeSet<>(client().smembers(deviceSocketsKey(userId, deviceId)));
    }

    public static String deviceSocketsKey(String userId, String deviceId) {
        return "ws:user:" + escaped(userId) + ":device:" + escaped(deviceId) + ":connections";
    }

    /** The {@code presence:user:{userId}} hash: socket id to its parsed entry. */
    public Map<String, JsonNode> presence(String userId) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        client().hgetAll(presenceKey(userId)).forEach((socket, json) -> entries.put(socket, parse(json)));
        return entries;
    }

    public static String presenceKey(String userId) {
        return "presence:user:" + escaped(userId);
    }

    /** The user's score in {@code presence:online} (last seen, epoch ms), empty when not listed. */
    public Optional<Double> onlineScore(String userId) {
        return Optional.ofNullable(client().zscore("presence:online", userId));
    }

    /** Every user in {@code presence:online}. */
    public Set<String> onlineUsers() {
        return new TreeSet<>(client().zrange("presence:online", 0, -1));
    }

    public Set<String> nodeSockets(String nodeId) {
        return new TreeSet<>(client().smembers(nodeSocketsKey(nodeId)));
    }

    public static String nodeSocketsKey(String nodeId) {
        return "ws:node:" + escaped(nodeId) + ":connections";
    }

    /** The {@code ws:node:{nodeId}} heartbeat record. */
    public Optional<JsonNode> node(String nodeId) {
        return Optional.ofNullable(client().get(nodeKey(nodeId))).map(GatewayRecords::parse);
    }

    public static String nodeKey(String nodeId) {
        return "ws:node:" + escaped(nodeId);
    }

    /** How many connections are subscribed to a pub/sub channel (PUBSUB NUMSUB). */
    public long subscribers(String channel) {
        Object reply = client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
        List<?> pair = (List<?>) reply;
        return (Long) pair.get(1);
    }

    /** How many connections are subscribed to at least one pattern (the {@code psub} field of CLIENT LIST). */
    public long patternSubscribers() {
        String clients = SafeEncoder.encode((byte[]) client().sendCommand(Protocol.Command.CLIENT, "LIST"));
        return clients.lines().filter(line -> !line.contains(" psub=0 ")).count();
    }

    /** TTL in milliseconds of a key (-2 when missing, -1 when it has none). */
    public long pttl(String key) {
        return client().pttl(key);
    }

    public boolean exists(String key) {
        return client().exists(key);
    }

    /** Every key that names a socket of the user: used to show that nothing is left behind. */
    public List<String> keysOfUser(String userId) {
        List<String> keys = new java.util.ArrayList<>(redis.scan("ws:user:" + escaped(userId) + ":*"));
        keys.addAll(redis.scan(presenceKey(userId)));
        return keys;
    }

    /** A value as the contract writes it inside a key or channel name. */
    public static String escaped(String value) {
        return value.replace("%", "%25").replace(":", "%3A");
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON in Redis: " + json, e);
        }
    }
}
