package dev.gateway.server.client;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The clients connected to this node, by socket id and by user. */
public final class ClientHub {
    private final ConcurrentHashMap<String, Client> bySocket = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Client>> byUser = new ConcurrentHashMap<>();

    public void add(Client client) {
        bySocket.put(client.socketId(), client);
        byUser.computeIfAbsent(client.userId(), u -> ConcurrentHashMap.newKeySet(1)).add(client); // most users: 1 socket
    }

    /** Removes a client; true when it was here. */
    public boolean remove(Client client) {
        if (!bySocket.remove(client.socketId(), client)) {
            return false;
        }
        byUser.computeIfPresent(client.userId(), (u, set) -> {
            set.remove(client);
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    public Optional<Client> find(String socketId) {
        return Optional.ofNullable(bySocket.get(socketId));
    }

    /** This node's sockets of a user (empty when none). */
    public Set<Client> ofUser(String userId) {
        Set<Client> clients = byUser.get(userId);
        return clients == null ? Set.of() : clients;
    }

    public Collection<Client> all() {
        return bySocket.values();
    }

    public int size() {
        return bySocket.size();
    }
}
