package dev.gateway.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.gateway.testsupport.Poll;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisExecProvider;

import static org.hamcrest.Matchers.is;

/**
 * One Redis server (or Sentinel) as an OS process of the Redis binary that org.signal:embedded-redis ships (7.0.15),
 * on a free loopback port, in a temporary directory of its own: for faults that the embedded wrapper cannot make.
 * {@link #kill()} is {@code kill -9} (with AOF on, the data survives it, as in production), {@link #pause()} and
 * {@link #resume()} are SIGSTOP and SIGCONT (a frozen Redis: connections stay open, nothing is answered),
 * {@link #restart()} starts it again on the same port and directory.
 * <pre>
 *   RedisProcess redis = RedisProcess.server("--appendonly", "yes");   // a master with AOF
 *   RedisProcess replica = RedisProcess.server("--replicaof", "127.0.0.1", Integer.toString(redis.port()));
 *   RedisProcess sentinel = RedisProcess.sentinel("mymaster", redis.port(), 2);
 * </pre>
 */
public final class RedisProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int port;
    private final Path dir;
    private final List<String> command;
    private Process process;

    private RedisProcess(String name, int port, Path dir, List<String> command) {
        this.name = name;
        this.port = port;
        this.dir = dir;
        this.command = command;
    }

    /** Starts a Redis server with these extra arguments ({@code --name value} pairs) and waits until it answers. */
    public static RedisProcess server(String... arguments) {
        int port = freePort();
        Path dir = tempDir("it-redis-" + port + "-");
        List<String> command = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                                       "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                                                       "--logfile", dir.resolve("redis.log").toString()));
        command.addAll(List.of(arguments));
        RedisProcess redis = new RedisProcess("redis:" + port, port, dir, command);
        redis.start();
        return redis;
    }

    /**
     * Starts a Sentinel that monitors {@code masterName} at {@code masterPort}, quick to act: the master is down after
     * 1 s without an answer, a failover may be retried after 5 s.
     */
    public static RedisProcess sentinel(String masterName, int masterPort, int quorum) {
        int port = freePort();
        Path dir = tempDir("it-sentinel-" + port + "-");
        Path config = dir.resolve("sentinel.conf");
        try {
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log"),
                    "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " " + quorum,
                    "sentinel down-after-milliseconds " + masterName + " 1000",
                    "sentinel failover-timeout " + masterName + " 5000",
                    "sentinel parallel-syncs " + masterName + " 1",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisProcess sentinel = new RedisProcess("sentinel:" + port, port, dir, List.of(binary(), config.toString(), "--sentinel"));
        sentinel.start();
        return sentinel;
    }

    public int port() {
        return port;
    }

    public HostAndPort hostAndPort() {
        return new HostAndPort("127.0.0.1", port);
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** A short-lived connection for one assertion or command; the caller closes it. */
    public Jedis connect() {
        return new Jedis(hostAndPort(), DefaultJedisClientConfig.builder().socketTimeoutMillis(2000).build());
    }

    /** A pooled client; the caller closes it. */
    public RedisClient client() {
        return RedisClient.builder().hostAndPort(hostAndPort()).build();
    }

    /** {@code kill -9}: the process is gone at once, without saving anything beyond what it had written. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts it again on the same port and directory (with AOF on, it reloads its data), and waits until it answers. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        start();
    }

    /** SIGSTOP: the process freezes; its connections stay open and nothing is answered until {@link #resume()}. */
    public void pause() {
        signal("-STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("-CONT");
    }

    /** Whether it answers PING now. */
    public boolean answers() {
        try (Jedis jedis = new Jedis(hostAndPort(), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(500).socketTimeoutMillis(500).build())) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The tail of its log file, for diagnostics. */
    public String logTail(int lines) {
        try (Stream<Path> files = Files.list(dir)) {
            Path log = files.filter(p -> p.getFileName().toString().endsWith(".log")).findFirst().orElse(null);
            if (log == null) {
                return "";
            }
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            resume();
            process.destroyForcibly();
            try {
                process.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private void start() {
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        Poll.eventually(name + " answers PING", this::answers, is(true), READY_TIMEOUT);
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String binary() {
        try {
            return RedisExecProvider.defaultProvider().get().getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the embedded Redis binary", e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
