package dev.gateway.server.client;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.presence.PresenceService;
import dev.gateway.server.room.RoomService;

/**
 * Opens and ends clients on this node: the one place that registers a socket (Redis, hub, rooms, presence) and
 * undoes it, so every way a socket can end (client close, TCP drop, expiry, operator, shutdown, overflow) runs the
 * same cleanup exactly once, and logs the one INFO line per connect and disconnect. It is the listener of every client
 * it opens, and the one owner of the clients it is closing (until their peer completes the close, or
 * {@link CloseCode#CLOSE_GRACE} passes and the connection is dropped).
 */
public final class ClientLifecycle implements ClientListener {
    private static final System.Logger LOG = System.getLogger(ClientLifecycle.class.getName());
    private static final SecureRandom SOCKET_IDS = new SecureRandom();
    /** 10^18: every socket id has 19 digits. */
    private static final long SMALLEST_SOCKET_ID = 1_000_000_000_000_000_000L;
    /** How long an admitted socket may take to open before its registration is removed. */
    public static final Duration ADMISSION_TIMEOUT = Duration.ofSeconds(5);

    private final ClientHub hub;
    private final PresenceService presence;
    private final RoomService rooms;
    private final FrameCodec codec;
    private final GatewayMetrics metrics;
    private final GatewaySettings settings;
    private final Executor executor;
    private final Clock clock;
    private final Set<Client> closing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Admission> admitted = new ConcurrentHashMap<>();

    public ClientLifecycle(ClientHub hub, PresenceService presence, RoomService rooms, FrameCodec codec,
                           GatewayMetrics metrics, GatewaySettings settings, Executor executor, Clock clock) {
        this.hub = hub;
        this.presence = presence;
        this.rooms = rooms;
        this.codec = codec;
        this.metrics = metrics;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * A socket registered in Redis whose connection is not open yet. The native handshake registers before it answers
     * 101, so that the per-user cap can still refuse it with 429; the socket opens once the upgrade is done. One that
     * never opens (the upgrade failed after the decision, the peer went away) is removed by {@link #expireAdmissions}.
     *
     * @param record         as registered
     * @param admittedMillis when it was registered
     * @param contacts       the user's contacts, read with the registration (empty with {@code PRESENCE_NOTIFY=all})
     */
    public record Admission(ConnectionRecord record, Principal principal, long admittedMillis, Set<String> contacts) {
    }

    /**
     * Registers a new socket of {@code principal} in Redis (its user may come online), within the per-user cap, before
     * its connection exists. {@link #open(Admission, Transport)} it once the connection is open, or
     * {@link #abandon(Admission)} it; else it is removed after {@link #ADMISSION_TIMEOUT}.
     *
     * @param remoteAddress the peer's address when known at this point
     * @throws TooManyConnectionsException when the user has {@code MAX_SOCKETS_PER_USER} sockets already; nothing
     *                                     was written then
     * @throws RuntimeException            when Redis refuses the registration; nothing is left behind then
     */
    public Admission admit(String socketId, Principal principal, String deviceId, String deviceName, String userAgent,
                           Optional<String> remoteAddress) throws TooManyConnectionsException {
        Instant now = clock.instant();
        ConnectionRecord record = new ConnectionRecord(principal.userId(),
                                                       socketId,
                                                       principal.roleContextId().orElse(null),
                                                       deviceId,
                                                       deviceName,
                                                       userAgent,
                                                       remoteAddress.orElse(null),
                                                       now.toString(),
                                                       settings.nodeId());
        ConnectionStore.NewSocket registered = presence.register(record);
        if (registered.registered() == ConnectionStore.Registered.OVER_USER_CAP) {
            throw new TooManyConnectionsException(principal.userId(), settings.maxSocketsPerUser());
        }
        Admission admission = new Admission(record, principal, now.toEpochMilli(), registered.contacts());
        admitted.put(socketId, admission);
        return admission;
    }

    /**
     * Opens an admitted socket once its connection is open: joins its user and role rooms, and sends
     * {@code connected} then {@code presence:bulk-online}.
     *
     * @throws IllegalStateException when the admission was abandoned or expired meanwhile (the socket is no longer
     *                               registered)
     * @throws RuntimeException      when Redis fails while the record is completed
     */
    public Client open(Admission admission, Transport transport) {
        if (!admitted.remove(admission.record().socketId(), admission)) {
            throw new IllegalStateException("socket " + admission.record().socketId() + " was admitted too long ago");
        }
        ConnectionRecord record = admission.record();
        if (!Objects.equals(record.ipAddress(), transport.remoteAddress())) {
            record = record.withIpAddress(transport.remoteAddress());
            try {
                presence.update(record);
            } catch (RuntimeException e) {
                remove(admission.record());
                throw e;
            }
        }
        return open(record, admission.principal(), admission.contacts(), transport);
    }

    /**
     * Opens a client whose connection is open already (the Socket.IO edge, at CONNECT): {@link #admit} and
     * {@link #open(Admission, Transport)} in one. The socket id is chosen beforehand because the edge names it in its
     * CONNECT answer, which precedes the {@code connected} event.
     *
     * @throws TooManyConnectionsException when the user has {@code MAX_SOCKETS_PER_USER} sockets already
     * @throws RuntimeException            when Redis refuses the registration; nothing is left behind then
     */
    public Client open(String socketId, Principal principal, String deviceId, String deviceName, String userAgent,
                       Transport transport) throws TooManyConnectionsException {
        return open(admit(socketId, principal, deviceId, deviceName, userAgent, Optional.of(transport.remoteAddress())), transport);
    }

    /** Removes an admitted socket whose connection will not open; does nothing once it opened or expired. */
    public void abandon(Admission admission) {
        if (admitted.remove(admission.record().socketId(), admission)) {
            executor.execute(() -> remove(admission.record()));
        }
    }

    /** Removes the admitted sockets that did not open within {@link #ADMISSION_TIMEOUT}; run by the sweeper. */
    public void expireAdmissions(long nowMillis) {
        for (Admission admission : admitted.values()) {
            if (nowMillis - admission.admittedMillis() >= ADMISSION_TIMEOUT.toMillis()
                    && admitted.remove(admission.record().socketId(), admission)) {
                LOG.log(System.Logger.Level.INFO, "event=admission-expired user={0} socket={1}",
                        admission.record().userId(), admission.record().socketId());
                executor.execute(() -> remove(admission.record()));
            }
        }
    }

    private Client open(ConnectionRecord record, Principal principal, Set<String> contacts, Transport transport) {
        Client client = new Client(record, principal, transport, executor,
                                   new Client.Limits(settings.outboundQueueFrames(), settings.rateLimitPerSecond()), this,
                                   clock.millis());

        hub.add(client);
        rooms.joinPersonalRooms(client);
        metrics.connected();
        LOG.log(System.Logger.Level.INFO, "event=connect user={0} socket={1} device={2} node={3} ip={4}",
                record.userId(), record.socketId(), record.deviceId(), record.serverId(), record.ipAddress());

        client.send(codec.encode(new ServerEvent.Connected(record.socketId(), record.userId(), record.serverId(),
                                                               settings.heartbeatInterval().toMillis(),
                                                               settings.presenceTtl().toMillis())));
        List<String> online;
        try {
            online = presence.followContacts(client, contacts);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=bulk-online-failed socket={0} error={1}", record.socketId(), e.toString());
            online = List.of();
        }
        client.send(codec.encode(new ServerEvent.BulkOnline(online)));
        return client;
    }

    /** Unregisters a socket that never became a client (deferred like any removal while Redis is away). */
    private void remove(ConnectionRecord record) {
        presence.unregister(record, DisconnectReason.CONNECTION_LOST);
    }

    /**
     * Ends a client, once, whatever the cause: takes it out of this node at once, closes the socket with the
     * reason's code when the server ends it, and removes it from Redis on the executor (its user may go offline).
     *
     * @param closeReason the close frame's reason text
     * @return completes when Redis has been updated (or the update was deferred because Redis is away)
     */
    public CompletableFuture<Void> end(Client client, DisconnectReason reason, String closeReason) {
        if (client == null || !client.end(reason, closeReason, clock.millis())) {
            return CompletableFuture.completedFuture(null);
        }
        hub.remove(client);
        if (client.isClosing()) {
            closing.add(client);
        }
        metrics.disconnected(reason);
        ConnectionRecord record = client.record();
        LOG.log(System.Logger.Level.INFO, "event=disconnect user={0} socket={1} device={2} node={3} reason={4} code={5}",
                record.userId(), record.socketId(), record.deviceId(), record.serverId(), reason.tag(),
                Integer.toString(reason.closeCode().code()));
        return CompletableFuture.runAsync(() -> {
            // Redis first: the socket's chat list there decides chat:user-left and who hears the offline event
            presence.unregister(client, reason);
            rooms.leaveAllLocally(client);
        }, executor);
    }

    /** A client failed under its owner (outbox overflow, failed write): it ends. */
    @Override
    public void failed(Client client, DisconnectReason reason, String why) {
        end(client, reason, why);
    }

    @Override
    public void frameSent(Client client) {
        metrics.frameOut();
    }

    /**
     * Forgets the clients being closed whose connection is gone, and drops the connection of those whose peer did not
     * complete the close within {@link CloseCode#CLOSE_GRACE} (again at every call until it is gone); run by the sweeper.
     */
    public void dropOverdueCloses(long nowMillis) {
        Iterator<Client> clients = closing.iterator();
        while (clients.hasNext()) {
            Client client = clients.next();
            if (!client.isConnected()) {
                clients.remove();
            } else {
                client.closeIfOverdue(nowMillis, CloseCode.CLOSE_GRACE.toMillis());
            }
        }
    }

    /** True while a client being closed has not had its close frame written (a graceful stop waits for them). */
    public boolean closeFramesPending() {
        for (Client client : closing) {
            if (!client.isCloseSent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new random socket id: a 19-digit decimal number below 2^63, from a secure generator (it is also the Engine.IO
     * session id, which a polling client presents as its credential). Why a number: Redis stores a set whose members
     * are all integers as an intset, so the sets of socket ids (per user, per device, per node) take 8 bytes a member
     * instead of a hash table entry; on Redis 7.0 that saves about 300 bytes per socket (docs/DESIGN.md, "Redis memory").
     */
    public static String newSocketId() {
        return Long.toString(SOCKET_IDS.nextLong(SMALLEST_SOCKET_ID, Long.MAX_VALUE));
    }
}
