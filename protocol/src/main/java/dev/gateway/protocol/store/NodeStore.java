package dev.gateway.protocol.store;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

import dev.gateway.protocol.event.OfflineReason;

/**
 * Gateway nodes in Redis: each live node rewrites {@code ws:node:{nodeId}} every few seconds with a short TTL and
 * keeps {@code ws:node:{nodeId}:connections}. A node whose record lapsed while its socket set remains has died
 * without cleaning up (kill -9, a lost host): no handler ran there, so whoever notices first (another node, or
 * gatewayctl) removes its sockets, and their users go offline as {@code expired}.
 */
public final class NodeStore {
    private final RedisClient redis;
    private final ObjectMapper mapper;
    private final StoredJson json;
    private final ConnectionStore connections;

    public NodeStore(RedisClient redis, ObjectMapper mapper, ConnectionStore connections) {
        this.redis = redis;
        this.mapper = mapper;
        this.json = new StoredJson(mapper);
        this.connections = connections;
    }

    /**
     * What Redis knows of one node.
     *
     * @param record      the heartbeat record; empty when it lapsed (the node is dead, or never finished starting)
     * @param connections how many sockets its connection set holds
     */
    public record NodeStatus(String nodeId, Optional<NodeRecord> record, long connections) {
        public boolean alive() {
            return record.isPresent();
        }
    }

    /** Writes a node's heartbeat record with its TTL and lists the node in {@code ws:nodes}. */
    public void heartbeat(NodeRecord record, Duration ttl) {
        try (Pipeline pipeline = redis.pipelined()) {
            pipeline.set(RedisKeys.node(record.nodeId()), json.write(record), SetParams.setParams().px(ttl.toMillis()));
            pipeline.sadd(RedisKeys.NODES, record.nodeId());
            pipeline.sync();
        }
    }

    /** Every node Redis knows of, alive or dead, sorted by id. */
    public List<NodeStatus> nodes() {
        List<String> ids = new ArrayList<>(new TreeSet<>(redis.smembers(RedisKeys.NODES)));
        List<Response<String>> records = new ArrayList<>();
        List<Response<Long>> counts = new ArrayList<>();
        try (Pipeline pipeline = redis.pipelined()) {
            for (String id : ids) {
                records.add(pipeline.get(RedisKeys.node(id)));
                counts.add(pipeline.scard(RedisKeys.nodeConnections(id)));
            }
            pipeline.sync();
        }
        List<NodeStatus> nodes = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Optional<NodeRecord> record = Optional.ofNullable(records.get(i).get())
                    .map(value -> json.read(value, NodeRecord.class));
            nodes.add(new NodeStatus(ids.get(i), record, counts.get(i).get()));
        }
        return nodes;
    }

    /** True while the node's heartbeat record exists. */
    public boolean isAlive(String nodeId) {
        return redis.exists(RedisKeys.node(nodeId));
    }

    /**
     * Publishes a command to one node on its {@code gw:node:{nodeId}} channel.
     *
     * @return how many subscribers received it: 0 when no node listens there (dead, or its subscriber is down)
     */
    public long send(String nodeId, NodeCommand command) {
        try {
            return redis.publish(RedisKeys.nodeChannel(nodeId), mapper.writerFor(NodeCommand.class).writeValueAsString(command));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes every socket of a dead node; users left with no live socket go offline {@code expired}.
     * Safe to run from several nodes at once: each socket is removed, and each offline published, once.
     *
     * @return the sockets that this call removed
     */
    public List<ConnectionRecord> reap(String nodeId, Instant now) {
        List<ConnectionRecord> removed = removeSockets(nodeId, now);
        forget(nodeId);
        return removed;
    }

    /**
     * Removes every socket a node's set lists, as {@link #reap} does, but keeps the node: for a node that restarted
     * under the same id, whose previous process died with those sockets.
     *
     * @return the sockets that this call removed
     */
    public List<ConnectionRecord> removeSockets(String nodeId, Instant now) {
        Set<String> listed = connections.socketsOfNode(nodeId);
        List<ConnectionRecord> removed = new ArrayList<>();
        for (ConnectionRecord record : connections.findAll(listed)) {
            if (connections.unregister(record, OfflineReason.EXPIRED, now) != ConnectionStore.Removal.NOT_FOUND) {
                removed.add(record);
            }
        }
        if (!listed.isEmpty()) {
            // entries whose connection record had lapsed already: nothing else names them
            redis.srem(RedisKeys.nodeConnections(nodeId), listed.toArray(String[]::new));
        }
        return removed;
    }

    /** Removes a node's own keys (after its sockets are gone): record, connection set and directory entry. */
    public void forget(String nodeId) {
        try (Pipeline pipeline = redis.pipelined()) {
            pipeline.del(RedisKeys.node(nodeId), RedisKeys.nodeConnections(nodeId));
            pipeline.srem(RedisKeys.NODES, nodeId);
            pipeline.sync();
        }
    }
}
