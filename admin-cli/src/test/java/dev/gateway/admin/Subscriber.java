package dev.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.gateway.testsupport.TestRedis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A pub/sub subscriber for tests: records what is published on some channels and may act on it, e.g. stand in for
 * gateway nodes that close the sockets a {@code disconnect} command names.
 */
final class Subscriber implements AutoCloseable {
    /** One message as received. */
    record Message(String channel, String body) {
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final Jedis connection;
    private final JedisPubSub pubSub;
    private final Thread thread;

    private Subscriber(TestRedis redis, BiConsumer<String, String> handler, String... channels) {
        CountDownLatch subscribed = new CountDownLatch(channels.length);
        this.connection = new Jedis("127.0.0.1", redis.port());
        this.pubSub = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                messages.add(new Message(channel, message));
                handler.accept(channel, message);
            }
        };
        this.thread = Thread.ofPlatform().daemon().name("test-subscriber").start(() -> connection.subscribe(pubSub, channels));
        try {
            if (!subscribed.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not subscribed within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Subscriber recording(TestRedis redis, String... channels) {
        return new Subscriber(redis, (channel, message) -> { }, channels);
    }

    static Subscriber acting(TestRedis redis, BiConsumer<String, String> handler, String... channels) {
        return new Subscriber(redis, handler, channels);
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The messages once at least {@code count} have arrived, or after 5 s, whichever is first. */
    List<Message> awaitMessages(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return messages();
    }

    @Override
    public void close() {
        pubSub.unsubscribe();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
