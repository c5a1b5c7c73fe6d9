package dev.gateway.server.presence;

import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.ConnectionStore.Registration;
import dev.gateway.protocol.store.EventStream;
import dev.gateway.protocol.store.PresenceEntry;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.server.batch.RoundTripBatcher;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.config.GatewaySettings.PresenceNotify;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.room.RoomService;

import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Presence: registers sockets in Redis, refreshes them on {@code presence:ping}, follows users for sockets, and
 * removes sockets that ended. The Lua scripts behind {@link ConnectionStore} publish each online/offline transition
 * exactly once; {@link PresenceFanout} delivers them.
 * <p>
 * Pings are batched: a ping only marks the socket, and every flush refreshes all marked sockets in one pipelined
 * round trip, so Redis sees far fewer round trips than pings.
 */
public final class PresenceService {
    /** Most users {@code presence:bulk-online} lists. */
    public static final int BULK_ONLINE_CAP = 10_000;

    private static final System.Logger LOG = System.getLogger(PresenceService.class.getName());
    /** Registrations per pipelined round trip when a node registers its sockets again. */
    private static final int REGISTRATION_PAGE = 500;

    private final ConnectionStore connections;
    private final PresenceStore presence;
    private final PresenceInterest interest;
    private final ClientHub hub;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Runnable verifyRedis;
    private final RoundTripBatcher<Registration, ConnectionStore.NewSocket> registrations;
    private final Set<Client> pinged = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<PendingRemoval> pendingRemovals = new ConcurrentLinkedQueue<>();
    /** Sockets this node registered and has not removed yet (admitted, live, or with their removal pending). */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicLong recoveries = new AtomicLong();

    /**
     * @param verifyRedis checks Redis at once (and runs the node's recovery when it restarted): called when a refresh
     *                    finds registrations gone, or a registration meets a dead connection
     */
    public PresenceService(ConnectionStore connections, PresenceStore presence, PresenceInterest interest, ClientHub hub,
                           GatewaySettings settings, GatewayMetrics metrics, Runnable verifyRedis, Clock clock) {
        this.verifyRedis = verifyRedis;
        this.registrations = new RoundTripBatcher<>(batch -> metrics.redis(
                () -> connections.registerEach(batch, settings.presenceTtl(), clock.instant(), true, settings.maxSocketsPerUser(),
                                               settings.presenceNotify() != PresenceNotify.ALL)));
        this.connections = connections;
        this.presence = presence;
        this.interest = interest;
        this.hub = hub;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Registers a new socket within {@code MAX_SOCKETS_PER_USER}; publishes {@code presence:online} when it is its
     * user's first. Concurrent registrations share round trips ({@link RoundTripBatcher}); the user's contacts
     * come back with it, for {@link #followContacts}.
     */
    public ConnectionStore.NewSocket register(ConnectionRecord record) {
        Instant now = clock.instant();
        // added before the script runs, so that a recovery running meanwhile counts this socket as one of ours
        registered.add(record.socketId());
        ConnectionStore.NewSocket socket;
        try {
            try {
                socket = registrations.call(registration(record, now));
            } catch (JedisConnectionException e) {
                if (timedOut(e)) {
                    throw e;
                }
                // a pooled connection that died with a Redis restart the node has not noticed yet: check now (which
                // drops the dead connections and recovers) and try once more; registering twice publishes once
                verifyRedis.run();
                socket = registrations.call(registration(record, now));
            }
        } catch (RuntimeException e) {
            registered.remove(record.socketId());
            throw e;
        }
        if (socket.registered() == ConnectionStore.Registered.OVER_USER_CAP) {
            registered.remove(record.socketId()); // refused: nothing was written
        }
        return socket;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Rewrites a registered socket's record (completed once its connection is open). */
    public void update(ConnectionRecord record) {
        metrics.redis(() -> {
            connections.update(record);
            return null;
        });
    }

    /**
     * Makes the socket follow its user's contacts and returns the online users it may see: those contacts, or
     * with {@code PRESENCE_NOTIFY=all} everyone, never the user themself, at most {@link #BULK_ONLINE_CAP}.
     */
    public List<String> followContacts(Client client, Set<String> contactsOfUser) {
        if (settings.presenceNotify() == PresenceNotify.ALL) {
            List<String> users = new ArrayList<>();
            for (PresenceStore.OnlineUser user : metrics.redis(() -> presence.online(BULK_ONLINE_CAP + 1))) {
                if (!user.userId().equals(client.userId()) && users.size() < BULK_ONLINE_CAP) {
                    users.add(user.userId());
                }
            }
            return users;
        }
        Set<String> contacts = new LinkedHashSet<>(contactsOfUser);
        contacts.remove(client.userId());
        int cap = settings.maxPresenceSubscriptionsPerSocket();
        List<String> followed = new ArrayList<>(Math.min(contacts.size(), cap));
        for (String contact : contacts) {
            if (followed.size() == cap) {
                LOG.log(System.Logger.Level.WARNING, "event=contacts-capped socket={0} user={1} contacts={2} followed={3}",
                        client.socketId(), client.userId(), Integer.toString(contacts.size()), Integer.toString(cap));
                break;
            }
            interest.watch(client, contact);
            followed.add(contact);
        }
        List<String> online = metrics.redis(() -> presence.onlineAmong(followed));
        return online.size() > BULK_ONLINE_CAP ? online.subList(0, BULK_ONLINE_CAP) : online;
    }

    /**
     * {@code presence:subscribe}: follows these users and returns those online. All or nothing: a request that would
     * make the socket watch more than {@code MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET} users (its contacts included)
     * follows none of them.
     */
    public List<String> subscribe(Client client, Collection<String> userIds) {
        Set<String> wanted = new LinkedHashSet<>(userIds);
        wanted.remove(client.userId());
        long added = wanted.stream().filter(userId -> !client.watchedUsers().contains(userId)).count();
        int cap = settings.maxPresenceSubscriptionsPerSocket();
        if (client.watchedUsers().size() + added > cap) {
            throw ProtocolException.validation("userIds", "would watch more than MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET ("
                    + cap + ") users on this socket (" + client.watchedUsers().size() + " watched); unsubscribe some first");
        }
        for (String userId : wanted) {
            interest.watch(client, userId);
        }
        return metrics.redis(() -> presence.onlineAmong(wanted));
    }

    /** {@code presence:unsubscribe}. */
    public void unsubscribe(Client client, Collection<String> userIds) {
        for (String userId : userIds) {
            interest.unwatch(client, userId);
        }
    }

    /** {@code presence:ping}: the socket is alive; Redis is refreshed by the next {@link #flushPings()}. */
    public void ping(Client client) {
        client.presencePinged(clock.millis());
        pinged.add(client);
    }

    /**
     * Refreshes every socket pinged since the last flush in one pipelined round trip. Sockets whose records were gone
     * are registered again: silently by the node's recovery when Redis restarted (checked at once: nobody saw their
     * users leave), else announcing their users, whom the cleaner that removed them (a presence sweep, gatewayctl)
     * reported offline.
     */
    public void flushPings() {
        if (pinged.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Registration> batch = new ArrayList<>();
        for (Client client : pinged) {
            pinged.remove(client);
            if (!client.isEnded()) {
                batch.add(registration(client, now));
            }
        }
        long recoveriesBefore = recoveries.get();
        List<Registration> lost = metrics.redis(() -> connections.touchAll(batch, settings.presenceTtl(), now));
        metrics.heartbeatFlush(batch.size());
        if (lost.isEmpty()) {
            return;
        }
        verifyRedis.run();
        if (recoveries.get() != recoveriesBefore) {
            return; // the recovery registered every live socket again
        }
        List<Registration> again = lost.stream().filter(r -> hub.find(r.connection().socketId()).isPresent()).toList();
        metrics.redis(() -> {
            connections.registerAll(again, settings.presenceTtl(), now, true);
            return null;
        });
    }

    /**
     * Removes an ended socket from Redis; if it was its user's last, the user goes offline. When Redis is away the
     * removal waits for {@link #retryPendingRemovals()}.
     */
    public void unregister(Client client, DisconnectReason reason) {
        interest.forget(client);
        pinged.remove(client);
        remove(new PendingRemoval(client.record(), reason, chatIds(client)));
    }

    /** Removes a socket from Redis, as {@link #unregister(Client, DisconnectReason)}, for one that never opened. */
    public void unregister(ConnectionRecord record, DisconnectReason reason) {
        remove(new PendingRemoval(record, reason, Set.of()));
    }

    private void remove(PendingRemoval removal) {
        ConnectionRecord record = removal.record();
        try {
            removeNow(removal);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=unregister-deferred socket={0} error={1}",
                    record.socketId(), e.toString());
            pendingRemovals.add(removal);
        }
    }

    /** Retries removals that failed while Redis was away; each that succeeds publishes what it implies, once. */
    public void retryPendingRemovals() {
        PendingRemoval removal;
        while ((removal = pendingRemovals.peek()) != null) {
            removeNow(removal);
            pendingRemovals.poll();
        }
    }

    /**
     * A socket registered again by {@link #registerAgain}.
     *
     * @param record  its connection record
     * @param chatIds the chats it is in
     */
    public record Registered(ConnectionRecord record, Set<String> chatIds) {
    }

    /**
     * Registers again, in pipelined pages, every live socket of this node, after Redis came back without them or as
     * another process. After a restart (or failover) it registers silently, and also the sockets whose removal is
     * still pending, so that their removal, retried later, finds them and publishes each user's offline once, whatever
     * the new Redis kept.
     *
     * @param restarted Redis is a new process; else it kept its data, and a user it no longer has online (cleaned
     *                  meanwhile) is announced
     * @return the sockets registered, for their chats to be joined again
     */
    public List<Registered> registerAgain(Collection<Client> live, boolean restarted) {
        recoveries.incrementAndGet();
        Instant now = clock.instant();
        List<Registration> registrations = new ArrayList<>();
        List<Registered> sockets = new ArrayList<>();
        for (Client client : live) {
            if (!client.isEnded()) {
                registrations.add(registration(client, now));
                sockets.add(new Registered(client.record(), chatIds(client)));
            }
        }
        if (restarted) {
            for (PendingRemoval removal : pendingRemovals) {
                registrations.add(registration(removal.record(), now));
                sockets.add(new Registered(removal.record(), removal.chatIds()));
            }
        }
        for (int from = 0; from < registrations.size(); from += REGISTRATION_PAGE) {
            List<Registration> page = registrations.subList(from, Math.min(registrations.size(), from + REGISTRATION_PAGE));
            metrics.redis(() -> {
                connections.registerAll(page, settings.presenceTtl(), now, !restarted);
                return null;
            });
        }
        return sockets;
    }

    /** Whether this node registered the socket and has not removed it (admitted, live, or pending removal). */
    public boolean isRegisteredHere(String socketId) {
        return registered.contains(socketId);
    }

    /** Sockets whose last {@code presence:ping} is older than the TTL, as of {@code nowMillis}. */
    public boolean isExpired(Client client, long nowMillis) {
        return nowMillis - client.lastPresencePingMillis() >= settings.presenceTtl().toMillis();
    }

    public Duration ttl() {
        return settings.presenceTtl();
    }

    private void removeNow(PendingRemoval removal) {
        DisconnectReason reason = removal.reason();
        metrics.redis(() -> connections.unregister(removal.record(), reason.presenceReason(),
                                                   new EventStream.Closure(reason.closeCode().code(), reason.tag()),
                                                   clock.instant()));
        registered.remove(removal.record().socketId());
    }

    private static Set<String> chatIds(Client client) {
        Set<String> chats = new LinkedHashSet<>();
        for (String room : client.rooms()) {
            if (RoomService.isChatRoom(room)) {
                chats.add(RoomService.chatIdOf(room));
            }
        }
        return chats;
    }

    private Registration registration(Client client, Instant now) {
        return registration(client.record(), now);
    }

    private static Registration registration(ConnectionRecord record, Instant now) {
        return new Registration(record, new PresenceEntry(record.serverId(), record.connectedAt(), now.toString()));
    }

    /** A removal (pending while Redis is away); the chats are those the socket was in when it ended. */
    private record PendingRemoval(ConnectionRecord record, DisconnectReason reason, Set<String> chatIds) {
    }
}
