package dev.gateway.server.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.server.client.Client;

/**
 * Catches local chat rooms up from their streams after their channel was (re)subscribed: reads what was stored after
 * the last delivered message, delivers it, then lets the room go live ({@link RoomFeed}). One worker thread, off the
 * subscriber thread; the rooms asked for meanwhile are read together, one pipelined round trip per batch, so a node
 * with a thousand rooms is caught up in a few round trips. A failed read is retried with a capped backoff. A room
 * whose stream no longer holds what its members missed (trimmed) has its members closed 4503, so that their
 * clients recover with {@code sinceId}.
 */
public final class ChatCatchUp {
    /** Messages read per room and round trip. */
    static final int PAGE = 200;

    private static final System.Logger LOG = System.getLogger(ChatCatchUp.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final ChatStore store;
    private final FrameCodec codec;
    private final Consumer<Client> unrecoverable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition requested = lock.newCondition();
    private final Set<String> requests = new LinkedHashSet<>();
    private volatile RoomFanout fanout;
    private volatile boolean running;
    private Thread worker;
    private long episodeStartNanos;
    private int episodeRooms;
    private long episodeMessages;

    /**
     * @param unrecoverable closes a member that cannot be caught up (with 4503)
     */
    public ChatCatchUp(ChatStore store, FrameCodec codec, Consumer<Client> unrecoverable) {
        this.store = store;
        this.codec = codec;
        this.unrecoverable = unrecoverable;
    }

    public void start(RoomFanout roomFanout) {
        this.fanout = roomFanout;
        running = true;
        worker = Thread.ofVirtual().name("chat-catch-up").start(this::run);
    }

    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Asks for a room to be caught up; never blocks (the subscriber thread calls it). */
    public void request(String room) {
        lock.lock();
        try {
            if (requests.isEmpty() && episodeRooms == 0) {
                episodeStartNanos = System.nanoTime();
            }
            requests.add(room);
            requested.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        long backoffMillis = 50;
        while (running) {
            Set<String> batch;
            try {
                batch = next();
            } catch (InterruptedException e) {
                return;
            }
            try {
                catchUp(batch);
                backoffMillis = 50;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "event=catch-up-retry rooms={0} error=\"{1}\"",
                        Integer.toString(batch.size()), e.toString());
                batch.forEach(this::request);
                if (!sleep(backoffMillis)) {
                    return;
                }
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
            }
        }
    }

    private Set<String> next() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (requests.isEmpty()) {
                if (episodeRooms > 0 || episodeMessages > 0) {
                    // a room opened on this node is caught up too (usually nothing to read): only real gaps are news
                    LOG.log(episodeMessages > 0 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "event=rooms-caught-up rooms={0} messages={1} millis={2}",
                            Integer.toString(episodeRooms), Long.toString(episodeMessages),
                            Long.toString((System.nanoTime() - episodeStartNanos) / 1_000_000));
                    episodeRooms = 0;
                    episodeMessages = 0;
                }
                requested.await();
            }
            Set<String> batch = new LinkedHashSet<>(requests);
            requests.clear();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void catchUp(Set<String> batch) {
        Map<String, RoomFeed.Cursor> cursors = new LinkedHashMap<>();
        Map<String, MessageId> after = new LinkedHashMap<>();
        for (String room : batch) {
            Optional<RoomFeed.Cursor> cursor = fanout.feed(room).flatMap(RoomFeed::cursor);
            if (cursor.isPresent()) {
                cursors.put(room, cursor.get());
                after.put(RoomService.chatIdOf(room), cursor.get().after());
            }
        }
        if (cursors.isEmpty()) {
            return;
        }
        Map<String, ChatStore.Since> read = store.sinceEach(after, PAGE);
        cursors.forEach((room, cursor) -> {
            if (!deliver(room, cursor, read.get(RoomService.chatIdOf(room)))) {
                request(room);
            }
        });
    }

    /** @return true when the room is live (or gone), false when it needs another read */
    private boolean deliver(String room, RoomFeed.Cursor cursor, ChatStore.Since since) {
        Optional<RoomFeed> found = fanout.feed(room);
        if (found.isEmpty()) {
            return true;
        }
        RoomFeed feed = found.get();
        if (!since.recovered()) {
            closeMembers(room, feed, cursor);
            return false;
        }
        int delivered = 0;
        for (ChatMessage message : since.messages()) {
            MessageId id = MessageId.parse(message.id()).orElseThrow();
            if (feed.advance(id)) {
                fanout.deliver(room, RoomMessage.stored(message.id(), codec.encode(message)));
                delivered++;
            }
        }
        boolean live = !since.hasMore() && feed.goLive(cursor.epoch(), message -> fanout.deliver(room, message));
        countDelivered(delivered, live);
        return live;
    }

    private void closeMembers(String room, RoomFeed feed, RoomFeed.Cursor cursor) {
        List<Client> members = new ArrayList<>();
        fanout.members(room).forEach(members::add);
        LOG.log(System.Logger.Level.WARNING, "event=room-not-recoverable room={0} after={1} sockets={2} "
                + "note=\"the stream was trimmed past the last delivered message; members recover with sinceId\"",
                room, cursor.after().toString(), Integer.toString(members.size()));
        members.forEach(unrecoverable);
        feed.rebase(store.lastId(RoomService.chatIdOf(room)));
    }

    private void countDelivered(int messages, boolean roomLive) {
        lock.lock();
        try {
            episodeRooms += roomLive ? 1 : 0;
            episodeMessages += messages;
        } finally {
            lock.unlock();
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
