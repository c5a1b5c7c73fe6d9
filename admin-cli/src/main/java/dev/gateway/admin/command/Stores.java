package dev.gateway.admin.command;

import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.EventStream;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceStore;

import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.RedisClient;

/** The Redis layout of PROTOCOL section 6 through the stores the gateway uses too, over one client per run. */
public final class Stores implements AutoCloseable {
    private final RedisClient client;
    private final ConnectionStore connections;
    private final NodeStore nodes;
    private final PresenceStore presence;

    Stores(RedisClient client, ObjectMapper mapper, EventStream events) {
        this.client = client;
        this.connections = new ConnectionStore(client, mapper, events);
        this.nodes = new NodeStore(client, mapper, connections);
        this.presence = new PresenceStore(client, mapper, connections);
    }

    /** The Redis client itself, for what no store covers (publishing to a room). */
    public RedisClient client() {
        return client;
    }

    public ConnectionStore connections() {
        return connections;
    }

    public NodeStore nodes() {
        return nodes;
    }

    public PresenceStore presence() {
        return presence;
    }

    @Override
    public void close() {
        client.close();
    }
}
