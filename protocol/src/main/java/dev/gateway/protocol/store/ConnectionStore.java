package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ServerEvent;

import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The connection directory in Redis (PROTOCOL section 6): which sockets exist, whose they are, on which device and
 * node, and the presence state they imply. Shared by the gateway (which writes it) and gatewayctl (which reads it
 * and cleans up after dead nodes). Every change to one socket's keys runs as one Lua script, so a crash never
 * leaves a socket half-registered, and the presence transition it causes is published exactly once.
 */
public final class ConnectionStore {
    /** TTL of the connection keys; pings refresh it. */
    public static final Duration CONNECTION_TTL = Duration.ofHours(1);

    private static final LuaScript REGISTER = LuaScript.load("register.lua");
    private static final LuaScript UNREGISTER = LuaScript.load("unregister.lua");
    private static final LuaScript TOUCH = LuaScript.load("touch.lua");
    private static final int PAGE = 1000;
    /** {@code maxSocketsPerUser} of a registration without a cap. */
    private static final int NO_CAP = 0;
    /** Reads of a socket's chat set per removal, when joins or leaves keep changing it meanwhile. */
    private static final int UNREGISTER_ATTEMPTS = 5;

    private final RedisClient redis;
    private final StoredJson json;
    private final FrameCodec codec;
    private final EventStream events;

    /** A directory whose scripts append to the event stream as the contract's defaults say ({@link EventStream#DEFAULT}). */
    public ConnectionStore(RedisClient redis, ObjectMapper mapper) {
        this(redis, mapper, EventStream.DEFAULT);
    }

    /** @param events whether and how the scripts append to the event stream ({@code EVENTS}, {@code EVENTS_MAXLEN}) */
    public ConnectionStore(RedisClient redis, ObjectMapper mapper, EventStream events) {
        this.redis = redis;
        this.json = new StoredJson(mapper);
        this.codec = new FrameCodec(mapper);
        this.events = events;
    }

    /** The event stream settings the scripts of this directory (and of the stores built on it) follow. */
    public EventStream events() {
        return events;
    }

    /** What {@link #unregister} found. */
    public enum Removal {
        /** Nothing named the socket any more (already removed by someone else). */
        NOT_FOUND,
        /** The socket was removed; its user still has other live sockets. */
        REMOVED,
        /** The socket was removed and was its user's last: {@code presence:offline} was published. */
        WENT_OFFLINE
    }

    /** One socket to register: its record and presence entry. */
    public record Registration(ConnectionRecord connection, PresenceEntry presence) {
    }

    /** What {@link #register(Registration, Duration, Instant, boolean, int)} did. */
    public enum Registered {
        /** Registered, and it took its user from offline to online. */
        WENT_ONLINE,
        /** Registered; its user was online already. */
        ADDED,
        /** Refused: its user already has the most sockets allowed, on all nodes together. Nothing was written. */
        OVER_USER_CAP
    }

    /**
     * Registers a new socket, unless its user already has {@code maxSocketsPerUser} sockets on all nodes together:
     * the count and the registration are one script, so handshakes racing on several nodes never exceed the cap.
     *
     * @param announce publish {@code presence:online} when this socket brings its user online
     */
    public Registered register(Registration registration, Duration presenceTtl, Instant now, boolean announce,
                               int maxSocketsPerUser) {
        return registered(REGISTER.eval(redis, registerKeys(registration.connection()),
                                        registerArgs(registration, presenceTtl, now, announce, maxSocketsPerUser)));
    }

    /** What registering a new socket found: the outcome, and its user's contacts when they were asked for. */
    public record NewSocket(Registered registered, Set<String> contacts) {
    }

    /**
     * Registers several new sockets in one pipelined round trip, each exactly as
     * {@link #register(Registration, Duration, Instant, boolean, int)} would (its own script call, its own cap check),
     * and reads each user's {@code presence:contacts:{userId}} in the same round trip when asked to.
     *
     * @param withContacts read the contacts too (else {@link NewSocket#contacts()} is empty)
     * @return per registration, in order: what it found, or (when called) the failure of that one socket's calls
     */
    public List<Supplier<NewSocket>> registerEach(List<Registration> registrations, Duration presenceTtl, Instant now,
                                                  boolean announce, int maxSocketsPerUser, boolean withContacts) {
        List<Response<Object>> responses = new ArrayList<>(registrations.size());
        List<Response<Set<String>>> contacts = new ArrayList<>(registrations.size());
        try (Pipeline pipeline = redis.pipelined()) {
            REGISTER.prepare(pipeline);
            for (Registration registration : registrations) {
                responses.add(REGISTER.eval(pipeline, registerKeys(registration.connection()),
                                            registerArgs(registration, presenceTtl, now, announce, maxSocketsPerUser)));
                contacts.add(withContacts ? pipeline.smembers(RedisKeys.contacts(registration.connection().userId())) : null);
            }
            pipeline.sync();
        }
        List<Supplier<NewSocket>> outcomes = new ArrayList<>(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            Response<Object> registered = responses.get(i);
            Response<Set<String>> contactsOfUser = contacts.get(i);
            outcomes.add(() -> new NewSocket(registered(registered.get()),
                                             contactsOfUser == null ? Set.of() : contactsOfUser.get()));
        }
        return outcomes;
    }

    private static Registered registered(Object result) {
        long code = result instanceof Long l ? l : 0;
        return code < 0 ? Registered.OVER_USER_CAP : code == 1 ? Registered.WENT_ONLINE : Registered.ADDED;
    }

    /**
     * Registers a socket that is open already (again, after Redis lost it), without a cap.
     *
     * @param announce publish {@code presence:online} when this socket brings its user online; false re-registers
     *                 silently (after Redis lost its data, subscribers never saw the user leave)
     * @return true when this socket took its user from offline to online
     */
    public boolean register(Registration registration, Duration presenceTtl, Instant now, boolean announce) {
        return register(registration, presenceTtl, now, announce, NO_CAP) == Registered.WENT_ONLINE;
    }

    /** Rewrites the record of a registered socket (keeping its TTL); does nothing when the socket is gone. */
    public void update(ConnectionRecord connection) {
        redis.set(RedisKeys.connection(connection.socketId()), json.write(connection), SetParams.setParams().xx().keepTtl());
    }

    /** Registers many sockets in one round trip (recovery after Redis restarts). */
    public void registerAll(List<Registration> registrations, Duration presenceTtl, Instant now, boolean announce) {
        if (registrations.isEmpty()) {
            return;
        }
        try (Pipeline pipeline = redis.pipelined()) {
            REGISTER.prepare(pipeline);
            for (Registration registration : registrations) {
                REGISTER.eval(pipeline, registerKeys(registration.connection()),
                              registerArgs(registration, presenceTtl, now, announce, NO_CAP));
            }
            pipeline.sync();
        }
    }

    /**
     * Removes a socket and leaves the chats it had joined; when it was its user's last, the user goes offline with
     * {@code reason} (the offline message names the socket's chat rooms, whose members are told too).
     * <p>
     * Whoever removes the socket (its node, another node or gatewayctl after the node died) learns its chats from
     * Redis: the chat set is read first, and the script gets every name and frame for those chats finished, and
     * changes nothing unless the set still holds exactly them (else it is read again).
     */
    public Removal unregister(ConnectionRecord connection, OfflineReason reason, EventStream.Closure closure, Instant now) {
        return remove(connection, Optional.of(reason), closure, now);
    }

    /**
     * {@link #unregister(ConnectionRecord, OfflineReason, EventStream.Closure, Instant)} for a socket that no process holds
     * any more (its node died, or restarted without it): its {@code socket.closed} entry says
     * {@link EventStream.Closure#NODE_DEAD}.
     */
    public Removal unregister(ConnectionRecord connection, OfflineReason reason, Instant now) {
        return unregister(connection, reason, EventStream.Closure.NODE_DEAD, now);
    }

    /**
     * Removes a socket and leaves its chats without publishing anything: for a record that a failover brought back
     * after the node had removed it (and told everyone) on the old master.
     */
    public Removal unregisterSilently(ConnectionRecord connection) {
        return remove(connection, Optional.empty(), EventStream.Closure.NODE_DEAD, Instant.EPOCH);
    }

    /** @param reason the offline reason to publish (as of {@code now}), or empty to publish (and append) nothing */
    private Removal remove(ConnectionRecord connection, Optional<OfflineReason> reason, EventStream.Closure closure, Instant now) {
        String chatsKey = RedisKeys.socketChats(connection.socketId());
        for (int attempt = 1; ; attempt++) {
            List<String> chatIds = List.copyOf(redis.smembers(chatsKey));
            Object result = UNREGISTER.eval(redis, unregisterKeys(connection, chatIds),
                                            unregisterArgs(connection, chatIds, reason, closure, now));
            long code = result instanceof Long l ? l : 0;
            if (code >= 0) {
                return code == 2 ? Removal.WENT_OFFLINE : code == 1 ? Removal.REMOVED : Removal.NOT_FOUND;
            }
            if (attempt == UNREGISTER_ATTEMPTS) {
                throw new IllegalStateException("the chats of socket " + connection.socketId() + " kept changing during its removal");
            }
        }
    }

    /**
     * Refreshes many sockets after their pings, in one round trip.
     *
     * @return the sockets whose records were gone, to be registered again
     */
    public List<Registration> touchAll(List<Registration> sockets, Duration presenceTtl, Instant now) {
        if (sockets.isEmpty()) {
            return List.of();
        }
        List<Response<Object>> responses = new ArrayList<>(sockets.size());
        try (Pipeline pipeline = redis.pipelined()) {
            TOUCH.prepare(pipeline);
            for (Registration socket : sockets) {
                ConnectionRecord c = socket.connection();
                responses.add(TOUCH.eval(pipeline,
                                         List.of(RedisKeys.connection(c.socketId()),
                                                 RedisKeys.userConnections(c.userId()),
                                                 RedisKeys.deviceConnections(c.userId(), c.deviceId()),
                                                 RedisKeys.presence(c.userId()),
                                                 RedisKeys.PRESENCE_ONLINE,
                                                 RedisKeys.socketChats(c.socketId())),
                                         List.of(c.socketId(),
                                                 Long.toString(CONNECTION_TTL.toSeconds()),
                                                 json.write(socket.presence()),
                                                 Long.toString(presenceTtl.toMillis()),
                                                 Long.toString(now.toEpochMilli()),
                                                 c.userId())));
            }
            pipeline.sync();
        }
        List<Registration> lost = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            if (!Long.valueOf(1).equals(responses.get(i).get())) {
                lost.add(sockets.get(i));
            }
        }
        return lost;
    }

    /** The record of one socket. */
    public Optional<ConnectionRecord> find(String socketId) {
        return Optional.ofNullable(redis.get(RedisKeys.connection(socketId))).map(this::parseConnection);
    }

    /** The records of these sockets that still exist, in the given order. */
    public List<ConnectionRecord> findAll(Collection<String> socketIds) {
        List<ConnectionRecord> found = new ArrayList<>();
        List<String> keys = socketIds.stream().map(RedisKeys::connection).toList();
        for (int from = 0; from < keys.size(); from += PAGE) {
            List<String> page = keys.subList(from, Math.min(keys.size(), from + PAGE));
            for (String value : redis.mget(page.toArray(String[]::new))) {
                if (value != null) {
                    found.add(parseConnection(value));
                }
            }
        }
        return found;
    }

    /** Socket ids of a user, on every device and node. */
    public Set<String> socketsOfUser(String userId) {
        return redis.smembers(RedisKeys.userConnections(userId));
    }

    /** Socket ids of one device of a user. */
    public Set<String> socketsOfDevice(String userId, String deviceId) {
        return redis.smembers(RedisKeys.deviceConnections(userId, deviceId));
    }

    /** Socket ids a node holds (or held, if it died). */
    public Set<String> socketsOfNode(String nodeId) {
        return redis.smembers(RedisKeys.nodeConnections(nodeId));
    }

    /** How many sockets each of these users has (0 for a user with none), in the given order, in one round trip. */
    public List<Long> socketCounts(List<String> userIds) {
        List<Response<Long>> counts = new ArrayList<>(userIds.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (String userId : userIds) {
                counts.add(pipeline.scard(RedisKeys.userConnections(userId)));
            }
            pipeline.sync();
        }
        return counts.stream().map(Response::get).toList();
    }

    /**
     * Visits every connection record, a page at a time, with SCAN (never KEYS) and MGET, so that listing 100,000
     * sockets neither blocks Redis nor holds them all in memory at once.
     */
    public void forEachPage(Consumer<List<ConnectionRecord>> pageConsumer) {
        ScanParams params = new ScanParams().match(RedisKeys.connectionPattern()).count(PAGE);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> scan = redis.scan(cursor, params);
            cursor = scan.getCursor();
            List<String> keys = scan.getResult();
            if (!keys.isEmpty()) {
                List<ConnectionRecord> page = new ArrayList<>(keys.size());
                for (String value : redis.mget(keys.toArray(String[]::new))) {
                    if (value != null) {
                        page.add(parseConnection(value));
                    }
                }
                pageConsumer.accept(page);
            }
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }

    /** The presence entries of a user's sockets, by socket id. */
    public Map<String, PresenceEntry> presenceOf(String userId) {
        Map<String, PresenceEntry> entries = new LinkedHashMap<>();
        redis.hgetAll(RedisKeys.presence(userId)).forEach((socket, value) -> entries.put(socket, json.read(value, PresenceEntry.class)));
        return entries;
    }

    public ConnectionRecord parseConnection(String value) {
        return json.read(value, ConnectionRecord.class);
    }

    private static List<String> registerKeys(ConnectionRecord c) {
        return List.of(RedisKeys.connection(c.socketId()),
                       RedisKeys.userConnections(c.userId()),
                       RedisKeys.deviceConnections(c.userId(), c.deviceId()),
                       RedisKeys.presence(c.userId()),
                       RedisKeys.PRESENCE_ONLINE,
                       RedisKeys.nodeConnections(c.serverId()),
                       RedisKeys.NODES,
                       RedisKeys.EVENTS);
    }

    private static List<String> unregisterKeys(ConnectionRecord c, List<String> chatIds) {
        List<String> keys = new ArrayList<>(8 + chatIds.size());
        keys.add(RedisKeys.connection(c.socketId()));
        keys.add(RedisKeys.userConnections(c.userId()));
        keys.add(RedisKeys.deviceConnections(c.userId(), c.deviceId()));
        keys.add(RedisKeys.presence(c.userId()));
        keys.add(RedisKeys.PRESENCE_ONLINE);
        keys.add(RedisKeys.nodeConnections(c.serverId()));
        keys.add(RedisKeys.socketChats(c.socketId()));
        keys.add(RedisKeys.EVENTS);
        for (String chatId : chatIds) {
            keys.add(RedisKeys.chatUsers(chatId));
        }
        return keys;
    }

    private List<String> unregisterArgs(ConnectionRecord c, List<String> chatIds, Optional<OfflineReason> reason,
                                        EventStream.Closure closure, Instant now) {
        List<String> rooms = chatIds.stream().map(Rooms::chat).toList();
        List<String> args = new ArrayList<>(8 + 4 * chatIds.size());
        args.add(c.socketId());
        args.add(c.userId());
        args.add(reason.isPresent() ? RedisKeys.PRESENCE_CHANNEL : "");
        args.add(reason.map(r -> json.write(PresenceChange.offline(c.userId(), now.toString(), r, rooms))).orElse(""));
        args.add(Integer.toString(chatIds.size()));
        args.add(events.maxLenArgument());
        args.add(reason.isPresent() ? events.socketClosed(c, closure, now) : "");
        args.add(reason.map(r -> events.userOffline(c.userId(), now, r)).orElse(""));
        for (int i = 0; i < chatIds.size(); i++) {
            args.add(chatIds.get(i));
            args.add(reason.isPresent() ? RedisKeys.roomChannel(rooms.get(i)) : "");
            args.add(reason.isPresent() ? RoomMessage.toAll(codec.encode(new ServerEvent.UserLeft(chatIds.get(i), c.userId()))).encode()
                                        : "");
            args.add(reason.isPresent() ? events.chatUser(chatIds.get(i), c.userId()) : "");
        }
        return args;
    }

    private List<String> registerArgs(Registration registration, Duration presenceTtl, Instant now, boolean announce,
                                      int maxSocketsPerUser) {
        ConnectionRecord c = registration.connection();
        return List.of(c.socketId(),
                       json.write(c),
                       Long.toString(CONNECTION_TTL.toSeconds()),
                       json.write(registration.presence()),
                       Long.toString(presenceTtl.toMillis()),
                       Long.toString(now.toEpochMilli()),
                       c.userId(),
                       c.serverId(),
                       announce ? RedisKeys.PRESENCE_CHANNEL : "",
                       json.write(PresenceChange.online(c.userId(), now.toString())),
                       Integer.toString(maxSocketsPerUser),
                       events.maxLenArgument(),
                       announce ? events.socketOpened(c, now) : "",
                       announce ? events.userOnline(c.userId(), now, c.serverId()) : "");
    }
}
