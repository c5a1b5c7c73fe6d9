package dev.gateway.server.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.gateway.protocol.store.RedisConnector;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.protocol.store.Rooms;
import dev.gateway.server.room.RoomChannels;
import dev.gateway.server.room.RoomListener;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;

/**
 * This node's one pub/sub connection to Redis, supervised:
 * <pre>
 *  CONNECTING ──► SUBSCRIBED (all channels at once) ──(error, or no reply within the read timeout)──► BACKOFF ──┐
 *       ▲                                                                                               │
 *       └───────────────────────────────────────────────────────────────────────────────────────────────┘
 * </pre>
 * Jedis never resubscribes by itself after Redis restarts and would wait forever on a frozen Redis; here every read
 * has a timeout, a ping goes out every few seconds so a healthy but quiet connection still reads something, and
 * after a failure the subscriber reconnects with capped exponential backoff (cut short by {@link #wake()} when Redis
 * is seen answering again) and subscribes to every channel again. What was published meanwhile never arrives: the
 * {@link RoomListener} is told before the new subscription and for each room channel once it is subscribed, so chat
 * rooms catch up from their streams. Chat and role rooms are plain SUBSCRIBEs while the node holds a member (never
 * one PSUBSCRIBE for them all, which would bring this node every room's traffic). Users' rooms are the exception:
 * every socket is in its user's room, so a channel per connected user cost Redis about 200 bytes per socket and a
 * SUBSCRIBE and UNSUBSCRIBE per connect; one pattern, {@code gw:room:user:*}, takes them all, and a message for a
 * user without a socket here is dropped unread. What is sent to one user is small and rare next to chat traffic.
 */
public final class RedisSubscriber implements RoomChannels {
    private static final System.Logger LOG = System.getLogger(RedisSubscriber.class.getName());
    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration MASTER_CHECK = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final String ROOM_PREFIX = RedisKeys.roomChannel("");
    private static final String USER_ROOMS = RedisKeys.userRoomChannels();

    private final RedisConnector connector;
    private final Map<String, Consumer<String>> fixedChannels = new ConcurrentHashMap<>();
    private final RoomListener rooms;
    private final Predicate<String> hasLocalMembers;
    private final ScheduledExecutorService scheduler;
    private volatile Runnable onReconnect = () -> { };
    private final Set<String> roomChannels = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile JedisPubSub pubSub;
    private volatile Connection current;
    private volatile HostAndPort connectedTo;
    private volatile boolean running;
    private volatile boolean subscribed;
    private Thread thread;

    /**
     * @param rooms           receives what happens on room channels
     * @param hasLocalMembers whether this node holds a member of a room
     */
    public RedisSubscriber(RedisConnector connector, RoomListener rooms, Predicate<String> hasLocalMembers,
                           ScheduledExecutorService scheduler) {
        this.connector = connector;
        this.rooms = rooms;
        this.hasLocalMembers = hasLocalMembers;
        this.scheduler = scheduler;
    }

    /** Listens to a channel for the node's whole life; call before {@link #start()}. */
    public RedisSubscriber handle(String channel, Consumer<String> handler) {
        fixedChannels.put(channel, handler);
        return this;
    }

    /** Runs after a reconnect that followed a failure (not after the first connect); call before {@link #start()}. */
    public RedisSubscriber onReconnect(Runnable action) {
        this.onReconnect = action;
        return this;
    }

    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("redis-subscriber").daemon().start(this::run);
        scheduler.scheduleWithFixedDelay(this::ping, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::followMaster, MASTER_CHECK.toMillis(), MASTER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        running = false;
        JedisPubSub current = pubSub;
        if (current != null) {
            withLock(() -> {
                if (current.isSubscribed()) {
                    current.unsubscribe();
                    current.punsubscribe();
                }
            });
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Ends a backoff wait at once: Redis answers again, so reconnecting now is likely to work. */
    public void wake() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    @Override
    public void reconcile(String room) {
        if (Rooms.isUser(room)) {
            return; // the pattern listens to every user's room
        }
        String channel = RedisKeys.roomChannel(room);
        lock.lock();
        try {
            boolean wanted = hasLocalMembers.test(room);
            JedisPubSub current = pubSub;
            if (wanted && roomChannels.add(channel)) {
                if (current != null && subscribed) {
                    current.subscribe(channel);
                }
            } else if (wanted && subscribed) {
                // still subscribed (a leave and a join crossed): no confirmation will come, and none is needed
                rooms.onSubscribed(room);
            } else if (!wanted && roomChannels.remove(channel)) {
                if (current != null && subscribed) {
                    current.unsubscribe(channel);
                }
            }
        } catch (RuntimeException e) {
            // the connection broke: the supervisor reconnects and subscribes to roomChannels as they are then
            LOG.log(System.Logger.Level.DEBUG, "subscribe change deferred: {0}", e.toString());
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long backoffMillis = 100;
        boolean failedBefore = false;
        while (running) {
            try (Connection connection = connect()) {
                List<String> channels;
                Listener listener;
                lock.lock();
                try {
                    channels = new ArrayList<>(fixedChannels.keySet());
                    channels.addAll(roomChannels);
                    listener = new Listener(failedBefore, Set.copyOf(roomChannels));
                    pubSub = listener;
                } finally {
                    lock.unlock();
                }
                backoffMillis = 100;
                rooms.onResubscribing();
                listener.proceed(connection, channels.toArray(String[]::new));
            } catch (RuntimeException e) {
                if (running) {
                    if (!failedBefore || subscribed) {
                        LOG.log(System.Logger.Level.WARNING, "event=redis-subscriber-lost error=\"{0}\" retry=backoff",
                                e.getMessage());
                    }
                    failedBefore = true;
                }
            } finally {
                subscribed = false;
                pubSub = null;
                current = null;
            }
            if (running) {
                backoff(backoffMillis);
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
            }
        }
    }

    private Connection connect() {
        HostAndPort master = connector.master();
        Connection connection = connector.dedicatedConnection(master, READ_TIMEOUT);
        connectedTo = master;
        current = connection;
        return connection;
    }

    private void ping() {
        JedisPubSub listener = pubSub;
        if (listener != null && subscribed) {
            withLock(listener::ping);
        }
    }

    /**
     * With Sentinel: moves to the master the command pool follows as soon as it switched (a memory read, no round
     * trip), since what is published on the new master no longer reaches this connection.
     */
    private void followMaster() {
        Optional<HostAndPort> master = connector.knownMaster();
        Connection connection = current;
        if (master.isPresent() && connection != null && subscribed && !master.get().equals(connectedTo)) {
            LOG.log(System.Logger.Level.INFO, "event=redis-master-moved from={0} to={1}", connectedTo, master.get());
            connection.close();
        }
    }

    private void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "pub/sub write failed: {0}", e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** Waits, unless {@link #wake()} or {@link #stop()} ends the wait first. */
    private void backoff(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private final class Listener extends JedisPubSub {
        private final boolean reconnecting;
        private final Set<String> initialRooms;
        private boolean announced;

        Listener(boolean reconnecting, Set<String> initialRooms) {
            this.reconnecting = reconnecting;
            this.initialRooms = initialRooms;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (!announced) {
                announced = true;
                completeSubscription();
                if (reconnecting) {
                    LOG.log(System.Logger.Level.INFO, "event=redis-subscriber-restored channels={0}", Integer.toString(subscribedChannels));
                    Thread.ofVirtual().start(onReconnect);
                }
            }
            if (channel.startsWith(ROOM_PREFIX)) {
                rooms.onSubscribed(channel.substring(ROOM_PREFIX.length()));
            }
        }

        /**
         * Listens to users' rooms and applies the room changes made between taking the channel list and the
         * subscription taking effect. Under the lock: every write on this connection is, so a ping or a reconcile
         * from another thread never interleaves its bytes with these.
         */
        private void completeSubscription() {
            lock.lock();
            try {
                psubscribe(USER_ROOMS);
                for (String channel : roomChannels) {
                    if (!initialRooms.contains(channel)) {
                        subscribe(channel);
                    }
                }
                for (String channel : initialRooms) {
                    if (!roomChannels.contains(channel)) {
                        unsubscribe(channel);
                    }
                }
                subscribed = true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            try {
                Consumer<String> handler = fixedChannels.get(channel);
                if (handler != null) {
                    handler.accept(message);
                } else if (channel.startsWith(ROOM_PREFIX)) {
                    rooms.onMessage(channel.substring(ROOM_PREFIX.length()), message);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event=pubsub-message-failed channel={0} error={1}", channel, e.toString());
            }
        }

        /** A user's room, through the pattern: only delivered when this node holds a socket of the user. */
        @Override
        public void onPMessage(String pattern, String channel, String message) {
            String room = channel.substring(ROOM_PREFIX.length());
            try {
                if (hasLocalMembers.test(room)) {
                    rooms.onMessage(room, message);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event=pubsub-message-failed channel={0} error={1}", channel, e.toString());
            }
        }
    }
}
