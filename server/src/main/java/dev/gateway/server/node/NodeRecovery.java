package dev.gateway.server.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.presence.PresenceService;

/**
 * What a node does when Redis answers again after an outage, or answers as another process (a restart, or a
 * Sentinel failover to a replica that may miss the last writes): make Redis hold what this node holds, and publish
 * only what really happened.
 * <ol>
 *   <li>its heartbeat first, so that no other node takes it for dead while its sockets reappear;</li>
 *   <li>its live sockets and the chats they are in, pipelined and silently (nobody saw those users leave);</li>
 *   <li>the sockets Redis lists for this node that it removed already (a promoted replica missed the removal, whose
 *       events went out then): removed silently;</li>
 *   <li>the removals that failed while Redis was away, with their events. After a restart they wait a moment
 *       (registered silently meanwhile), so that every other node has registered its own sockets again first and
 *       a user with a socket elsewhere is not reported offline.</li>
 * </ol>
 */
public final class NodeRecovery implements RedisMonitor.Recovery {
    private static final System.Logger LOG = System.getLogger(NodeRecovery.class.getName());

    private final NodeHeartbeat heartbeat;
    private final PresenceService presence;
    private final ConnectionStore connections;
    private final ChatStore chats;
    private final ClientHub hub;
    private final String nodeId;
    private final ScheduledExecutorService scheduler;
    private final Duration othersGrace;
    private final Runnable subscriberWake;

    /**
     * @param othersGrace    how long the other nodes are given to register their sockets again after a restart
     * @param subscriberWake ends the subscriber's backoff: Redis answers
     */
    public NodeRecovery(NodeHeartbeat heartbeat, PresenceService presence, ConnectionStore connections, ChatStore chats,
                        ClientHub hub, String nodeId, ScheduledExecutorService scheduler, Duration othersGrace,
                        Runnable subscriberWake) {
        this.heartbeat = heartbeat;
        this.presence = presence;
        this.connections = connections;
        this.chats = chats;
        this.hub = hub;
        this.nodeId = nodeId;
        this.scheduler = scheduler;
        this.othersGrace = othersGrace;
        this.subscriberWake = subscriberWake;
    }

    @Override
    public void recover(boolean restarted) {
        long start = System.nanoTime();
        subscriberWake.run();
        heartbeat.beat();
        List<PresenceService.Registered> sockets = presence.registerAgain(hub.all(), restarted);
        List<ChatStore.Membership> memberships = new ArrayList<>();
        for (PresenceService.Registered socket : sockets) {
            for (String chatId : socket.chatIds()) {
                memberships.add(new ChatStore.Membership(socket.record().socketId(), chatId, socket.record().userId()));
            }
        }
        chats.rejoinAll(memberships);
        int stale = removeStale();
        if (restarted) {
            scheduler.schedule(this::retryRemovals, othersGrace.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            presence.retryPendingRemovals();
        }
        LOG.log(System.Logger.Level.INFO, "event=redis-recovered restarted={0} sockets={1} chats={2} stale={3} millis={4}",
                restarted, Integer.toString(sockets.size()), Integer.toString(memberships.size()), Integer.toString(stale),
                Long.toString((System.nanoTime() - start) / 1_000_000));
    }

    /** Removes, silently, the sockets Redis lists for this node that the node no longer knows. */
    private int removeStale() {
        List<String> stale = connections.socketsOfNode(nodeId).stream().filter(id -> !presence.isRegisteredHere(id)).toList();
        int removed = 0;
        for (ConnectionRecord record : connections.findAll(stale)) {
            if (connections.unregisterSilently(record) != ConnectionStore.Removal.NOT_FOUND) {
                removed++;
            }
        }
        return removed;
    }

    private void retryRemovals() {
        try {
            presence.retryPendingRemovals();
        } catch (RuntimeException e) {
            // still pending: the next recovery retries them
            LOG.log(System.Logger.Level.WARNING, "event=unregister-retry-failed error=\"{0}\"", e.getMessage());
        }
    }
}
