package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.store.PresenceStore.OnlineUser;
import dev.gateway.testsupport.ChannelRecorder;
import dev.gateway.testsupport.ChannelRecorder.Message;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class PresenceStoreTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ConnectionStore connections;
    private PresenceStore presence;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        connections = new ConnectionStore(redis, mapper);
        presence = new PresenceStore(redis, mapper, connections);
    }

    @Test
    void expireLapsedMarksAUserOfflineWhenTheirPresenceHashLapsed() throws Exception {
        registerWithLapsedPresence("s1", "alice");
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            int expired = presence.expireLapsed(NOW.plusSeconds(61), PRESENCE_TTL);

            List<Message> published = channel.published();
            assertThat(expired, is(1));
            assertThat(redis.zscore("presence:online", "alice"), is((Double) null));
            assertThat(published, hasSize(1));
            JsonNode offline = mapper.readTree(published.getFirst().payload());
            assertThat(offline.get("type").asText(), is("offline"));
            assertThat(offline.get("userId").asText(), is("alice"));
            assertThat(offline.get("reason").asText(), is("expired"));
            assertThat(offline.get("timestamp").asText(), is("2025-03-01T10:01:01Z"));
        }
    }

    @Test
    void expireLapsedMarksAUserOfflineOnlyOnce() throws Exception {
        registerWithLapsedPresence("s1", "alice");
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            int first = presence.expireLapsed(NOW.plusSeconds(61), PRESENCE_TTL);
            int second = presence.expireLapsed(NOW.plusSeconds(62), PRESENCE_TTL);

            assertThat(first, is(1));
            assertThat(second, is(0));
            assertThat(channel.published(), hasSize(1));
        }
    }

    @Test
    void aSocketRemovedAfterItsUserExpiredPublishesNoSecondOffline() throws Exception {
        ConnectionRecord s1 = registerWithLapsedPresence("s1", "alice");
        presence.expireLapsed(NOW.plusSeconds(61), PRESENCE_TTL);
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            ConnectionStore.Removal removal = connections.unregister(s1, OfflineReason.DISCONNECTED, NOW.plusSeconds(62));

            assertThat(removal, is(ConnectionStore.Removal.REMOVED));
            assertThat(channel.published(), is(empty()));
        }
    }

    @Test
    void expireLapsedKeepsAUserWhosePresenceHashIsAlive() throws Exception {
        connections.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            int expired = presence.expireLapsed(NOW.plusSeconds(61), PRESENCE_TTL);

            assertThat(expired, is(0));
            assertThat(presence.onlineAmong(List.of("alice")), contains("alice"));
            assertThat(channel.published(), is(empty()));
        }
    }

    @Test
    void expireLapsedKeepsAUserSeenWithinTheTtl() {
        registerWithLapsedPresence("s1", "alice");

        int expired = presence.expireLapsed(NOW.plusSeconds(30), PRESENCE_TTL);

        assertThat(expired, is(0));
        assertThat(presence.onlineAmong(List.of("alice")), contains("alice"));
    }

    @Test
    void onlineAmongReturnsTheOnlineUsersInTheGivenOrder() {
        for (String user : List.of("alice", "bob", "carol")) {
            connections.register(registration(socket("s-" + user, user)), PRESENCE_TTL, NOW, true);
        }

        assertThat(presence.onlineAmong(List.of("carol", "dave", "alice", "erin")), contains("carol", "alice"));
    }

    @Test
    void onlineAmongNobodyIsEmpty() {
        assertThat(presence.onlineAmong(List.of()), is(empty()));
    }

    @Test
    void onlineAmongManyUsersAnswersForEveryChunk() {
        List<String> asked = new ArrayList<>();
        List<String> online = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            asked.add("user-" + i);
            if (i % 500 == 499) {
                online.add("user-" + i);
                redis.zadd("presence:online", NOW.toEpochMilli(), "user-" + i);
            }
        }

        assertThat(presence.onlineAmong(asked), is(online));
    }

    @Test
    void onlineListsTheMostRecentlySeenFirstUpToTheLimit() {
        redis.zadd("presence:online", NOW.toEpochMilli(), "alice");
        redis.zadd("presence:online", NOW.plusSeconds(2).toEpochMilli(), "bob");
        redis.zadd("presence:online", NOW.plusSeconds(1).toEpochMilli(), "carol");

        assertThat(presence.online(2), contains(new OnlineUser("bob", NOW.plusSeconds(2)),
                                                new OnlineUser("carol", NOW.plusSeconds(1))));
        assertThat(presence.onlineCount(), is(3L));
    }

    @Test
    void contactsAreTheApplicationsContactSet() {
        redis.sadd("presence:contacts:alice", "bob", "carol");

        assertThat(presence.contacts("alice"), is(Set.of("bob", "carol")));
        assertThat(presence.contacts("nobody"), is(empty()));
    }

    /** Registers a socket at {@link #NOW} whose presence hash then lapses for real (a short PEXPIRE). */
    private ConnectionRecord registerWithLapsedPresence(String socketId, String userId) {
        ConnectionRecord socket = socket(socketId, userId);
        connections.register(registration(socket), Duration.ofMillis(50), NOW, true);
        Poll.until("presence:user:" + userId + " lapsed", () -> !redis.exists(RedisKeys.presence(userId)));
        return socket;
    }
}
