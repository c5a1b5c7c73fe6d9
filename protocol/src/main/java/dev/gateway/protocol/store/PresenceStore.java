package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

import dev.gateway.protocol.event.OfflineReason;

/**
 * Who is online: {@code presence:online} (userId scored by last-seen) and the contact sets the application writes.
 */
public final class PresenceStore {
    private static final LuaScript EXPIRE_USER = LuaScript.load("expire-user.lua");
    private static final int CHUNK = 1000;

    private final RedisClient redis;
    private final ConnectionStore connections;
    private final StoredJson json;

    public PresenceStore(RedisClient redis, ObjectMapper mapper, ConnectionStore connections) {
        this.redis = redis;
        this.connections = connections;
        this.json = new StoredJson(mapper);
    }

    /** An online user and when one of their sockets last pinged. */
    public record OnlineUser(String userId, Instant lastSeen) {
    }

    /** Those of {@code userIds} who are online, in the given order. */
    public List<String> onlineAmong(Collection<String> userIds) {
        List<String> ids = List.copyOf(userIds);
        List<String> online = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            List<Double> scores = redis.zmscore(RedisKeys.PRESENCE_ONLINE, chunk.toArray(String[]::new));
            for (int i = 0; i < chunk.size(); i++) {
                if (scores.get(i) != null) {
                    online.add(chunk.get(i));
                }
            }
        }
        return online;
    }

    /**
     * When each of these users was last seen, empty for a user who is not online, in the given order: one
     * {@code ZMSCORE} (one round trip) per 1000 ids.
     */
    public List<Optional<Instant>> lastSeen(List<String> userIds) {
        List<Optional<Instant>> seen = new ArrayList<>(userIds.size());
        for (int from = 0; from < userIds.size(); from += CHUNK) {
            List<String> chunk = userIds.subList(from, Math.min(userIds.size(), from + CHUNK));
            for (Double score : redis.zmscore(RedisKeys.PRESENCE_ONLINE, chunk.toArray(String[]::new))) {
                seen.add(Optional.ofNullable(score).map(s -> Instant.ofEpochMilli(s.longValue())));
            }
        }
        return seen;
    }

    /**
     * Up to {@code limit} online users whose id contains {@code fragment} (case-sensitive), in the order Redis scans
     * them ({@code ZSCAN ... MATCH}, never the whole set at once).
     */
    public List<OnlineUser> search(String fragment, int limit) {
        ScanParams params = new ScanParams().match("*" + globEscape(fragment) + "*").count(CHUNK);
        List<OnlineUser> users = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<Tuple> scan = redis.zscan(RedisKeys.PRESENCE_ONLINE, cursor, params);
            cursor = scan.getCursor();
            for (Tuple tuple : scan.getResult()) {
                if (users.size() < limit) {
                    users.add(new OnlineUser(tuple.getElement(), Instant.ofEpochMilli((long) tuple.getScore())));
                }
            }
        } while (users.size() < limit && !ScanParams.SCAN_POINTER_START.equals(cursor));
        return users;
    }

    /** A literal for a Redis glob pattern: {@code * ? [ ] \} escaped with a backslash. */
    static String globEscape(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length() + 4);
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** Up to {@code limit} online users, most recently seen first. */
    public List<OnlineUser> online(int limit) {
        List<OnlineUser> users = new ArrayList<>();
        for (Tuple tuple : redis.zrevrangeWithScores(RedisKeys.PRESENCE_ONLINE, 0, limit - 1L)) {
            users.add(new OnlineUser(tuple.getElement(), Instant.ofEpochMilli((long) tuple.getScore())));
        }
        return users;
    }

    /** How many users are online. */
    public long onlineCount() {
        return redis.zcard(RedisKeys.PRESENCE_ONLINE);
    }

    /** The users whose presence {@code userId} sees (the application's contact set). */
    public Set<String> contacts(String userId) {
        return redis.smembers(RedisKeys.contacts(userId));
    }

    /**
     * Marks offline ({@code expired}) every user whose presence lapsed: no socket refreshed it within the TTL,
     * for example because its node died before it could clean up. Safe to run on every node at once.
     *
     * @return how many users this call took offline
     */
    public int expireLapsed(Instant now, Duration presenceTtl) {
        long newestLapsed = now.minus(presenceTtl).toEpochMilli();
        int expired = 0;
        EventStream events = connections.events();
        for (String userId : redis.zrangeByScore(RedisKeys.PRESENCE_ONLINE, Double.NEGATIVE_INFINITY, newestLapsed, 0, CHUNK)) {
            String offline = json.write(PresenceChange.offline(userId, now.toString(), OfflineReason.EXPIRED, List.of()));
            Object result = EXPIRE_USER.eval(redis,
                                             List.of(RedisKeys.presence(userId), RedisKeys.PRESENCE_ONLINE, RedisKeys.EVENTS),
                                             List.of(userId, Long.toString(newestLapsed), RedisKeys.PRESENCE_CHANNEL, offline,
                                                     events.maxLenArgument(),
                                                     events.userOffline(userId, now, OfflineReason.EXPIRED)));
            if (Long.valueOf(1).equals(result)) {
                expired++;
            }
        }
        return expired;
    }
}
