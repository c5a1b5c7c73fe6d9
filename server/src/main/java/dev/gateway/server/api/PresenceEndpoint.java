package dev.gateway.server.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.DeviceView;
import dev.gateway.protocol.store.PresenceStore;

/**
 * Presence for backends: one user with devices ({@code GET /api/v1/users/{userId}/presence}), many users at once
 * ({@code POST /api/v1/presence/query}: one {@code ZMSCORE} round trip per 1000 ids), and the online users
 * ({@code GET /api/v1/presence/online}, an addition to the contract for the admin page).
 */
final class PresenceEndpoint {
    private final PresenceStore presence;
    private final ConnectionStore connections;

    PresenceEndpoint(PresenceStore presence, ConnectionStore connections) {
        this.presence = presence;
        this.connections = connections;
    }

    /** @param lastSeen ISO-8601 UTC of the user's last presence ping; null when not online */
    record UserPresence(String userId, boolean online, String lastSeen, int sockets, List<DeviceView> devices) {
    }

    /** @param lastSeen ISO-8601 UTC of the user's last presence ping */
    record OnlineUser(String userId, long sockets, String lastSeen) {
    }

    ApiReply user(ApiRequest request) {
        String userId = ApiFields.id("userId", request.path("userId"));
        Optional<Instant> lastSeen = presence.lastSeen(List.of(userId)).getFirst();
        List<ConnectionRecord> sockets = connections.findAll(connections.socketsOfUser(userId));
        List<DeviceView> devices = sockets.isEmpty() ? List.of() : DeviceView.of(sockets, connections.presenceOf(userId));
        return ApiReply.ok(new UserPresence(userId, lastSeen.isPresent(), lastSeen.map(Instant::toString).orElse(null),
                                            sockets.size(), devices));
    }

    ApiReply query(ApiRequest request) {
        List<String> userIds = ApiFields.userIds(request.body());
        List<Optional<Instant>> seen = presence.lastSeen(userIds);
        List<String> online = new ArrayList<>();
        Map<String, String> lastSeen = new LinkedHashMap<>();
        for (int i = 0; i < userIds.size(); i++) {
            String userId = userIds.get(i);
            if (seen.get(i).isPresent() && !lastSeen.containsKey(userId)) {
                online.add(userId);
            }
            lastSeen.put(userId, seen.get(i).map(Instant::toString).orElse(null));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("online", online);
        answer.put("lastSeen", lastSeen);
        return ApiReply.ok(answer);
    }

    /** {@code ?limit=} (default 100, at most 1000) most recently seen first; {@code ?search=} users whose id contains it. */
    ApiReply online(ApiRequest request) {
        int limit = ApiFields.limit(request.query("limit"), ApiFields.DEFAULT_ONLINE, ApiFields.MAX_ONLINE);
        Optional<String> search = request.query("search");
        if (search.isPresent() && search.get().length() > 128) {
            throw ApiError.validation("search", "must be at most 128 characters");
        }
        List<PresenceStore.OnlineUser> users = search.isPresent() ? presence.search(search.get(), limit) : presence.online(limit);
        List<Long> sockets = connections.socketCounts(users.stream().map(PresenceStore.OnlineUser::userId).toList());
        List<OnlineUser> listed = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            listed.add(new OnlineUser(users.get(i).userId(), sockets.get(i), users.get(i).lastSeen().toString()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("count", presence.onlineCount());
        answer.put("users", listed);
        return ApiReply.ok(answer);
    }
}
