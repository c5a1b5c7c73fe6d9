package dev.gateway.server.presence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gateway.server.client.Client;

/**
 * Which sockets of this node follow which users' presence ({@code presence:subscribe} and the contact set).
 * The interest is local: presence changes reach every node on one channel, and each node picks its own
 * interested sockets here.
 */
public final class PresenceInterest {
    private final ConcurrentHashMap<String, Set<Client>> watchers = new ConcurrentHashMap<>();

    public void watch(Client client, String userId) {
        if (client.watchedUsers().add(userId)) {
            watchers.computeIfAbsent(userId, u -> ConcurrentHashMap.newKeySet(1)).add(client);
        }
    }

    public void unwatch(Client client, String userId) {
        if (client.watchedUsers().remove(userId)) {
            watchers.computeIfPresent(userId, (u, set) -> {
                set.remove(client);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Forgets every interest of a client that ended. */
    public void forget(Client client) {
        for (String userId : client.watchedUsers().toArray(String[]::new)) {
            unwatch(client, userId);
        }
    }

    /** The sockets following {@code userId} (empty when none). */
    public Set<Client> watchers(String userId) {
        Set<Client> set = watchers.get(userId);
        return set == null ? Set.of() : set;
    }
}
