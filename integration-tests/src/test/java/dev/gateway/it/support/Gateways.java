package dev.gateway.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gateway processes and clients of a test: started on the test class's {@link TestRedis} with fast test timings,
 * and stopped after the test (clients aborted, nodes killed: each test starts from an empty Redis anyway). When a
 * test fails, the tail of every node's output is printed, which is usually where the reason is.
 * <p>
 * Register as an instance extension, {@code @RegisterExtension final Gateways gateways = new Gateways(REDIS);}, for
 * nodes of one test. Registered as a static extension, nodes started in a {@code @BeforeAll} method serve the whole
 * class (stopped after all tests), and nodes started inside a test still stop after that test.
 */
public final class Gateways implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    /** Lines of each node's output printed when a test fails. */
    private static final int TAIL_LINES = 120;
    private static final Path LOG_DIR = Path.of("target", "gateway-logs");

    private final Supplier<String> redisUrl;
    private final List<GatewayProcess> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private final List<GatewayProcess> classNodes = new ArrayList<>();
    private final List<WsClient> classClients = new ArrayList<>();
    private volatile boolean inTest;
    private String testName = "test";
    private String className = "Test";

    public Gateways(TestRedis redis) {
        this(redis::url);
    }

    /** Nodes on a Redis that is not a {@link TestRedis} (a {@link RedisProcess}, a Sentinel set): its URL when they start. */
    public Gateways(Supplier<String> redisUrl) {
        this.redisUrl = redisUrl;
    }

    /**
     * The environment every node gets unless a test overrides it: a free port, the test Redis, the test secret,
     * and timings short enough for a fast suite (node heartbeat 1 s, node TTL 3 s, client heartbeat 1 s). The
     * presence TTL stays long (30 s) so that clients that do not ping survive the test; expiry tests shorten it.
     */
    public Map<String, String> defaults() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", "0");
        env.put("REDIS_URL", redisUrl.get());
        env.put("JWT_SECRET", Tokens.SECRET);
        env.put("HEARTBEAT_INTERVAL_SECONDS", "1");
        env.put("PRESENCE_TTL_SECONDS", "30");
        env.put("NODE_HEARTBEAT_SECONDS", "1");
        env.put("NODE_TTL_SECONDS", "3");
        return env;
    }

    /** Starts a node with the defaults. */
    public GatewayProcess start() {
        return start(Map.of());
    }

    /** Starts a node with the defaults and these overrides (a null value removes a default). */
    public GatewayProcess start(Map<String, String> overrides) {
        return start("it-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)), overrides);
    }

    public GatewayProcess start(String nodeId, Map<String, String> overrides) {
        return track(GatewayProcess.start(nodeId, environment(overrides), logFile(nodeId)));
    }

    /** Starts a node without waiting for it to listen (for configurations it must refuse); stopped after the test. */
    public GatewayProcess launch(String nodeId, Map<String, String> overrides) {
        return track(GatewayProcess.launch(nodeId, environment(overrides), logFile(nodeId)));
    }

    private Path logFile(String nodeId) {
        return LOG_DIR.resolve(className).resolve(testName + "-" + nodeId + ".log");
    }

    private GatewayProcess track(GatewayProcess node) {
        synchronized (nodes) {
            (inTest ? nodes : classNodes).add(node);
        }
        return node;
    }

    private Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> env = defaults();
        overrides.forEach((key, value) -> {
            if (value == null) {
                env.remove(key);
            } else {
                env.put(key, value);
            }
        });
        return env;
    }

    /**
     * Connects {@code userId} to {@code node} with a valid bearer token and waits for its {@code connected} frame.
     * The client is closed after the test.
     */
    public WsClient connect(GatewayProcess node, String userId) {
        return connect(WsClient.to(node).bearer(Tokens.forUser(userId)).name(userId));
    }

    /** Connects {@code userId} from a device, as a tab of that device. */
    public WsClient connect(GatewayProcess node, String userId, String deviceId, String deviceName) {
        return connect(WsClient.to(node).bearer(Tokens.forUser(userId)).device(deviceId, deviceName)
                               .name(userId + "@" + deviceId));
    }

    /** Opens the handshake, waits for its {@code connected} frame, and closes the client after the test. */
    public WsClient connect(WsClient.Handshake handshake) {
        WsClient client = open(handshake);
        client.connected();
        return client;
    }

    /** Opens the handshake without waiting for any frame; the client is closed after the test. */
    public WsClient open(WsClient.Handshake handshake) {
        WsClient client = handshake.open();
        synchronized (clients) {
            (inTest ? clients : classClients).add(client);
        }
        return client;
    }

    /** The nodes running for the current test, class-wide ones first. */
    public List<GatewayProcess> nodes() {
        synchronized (nodes) {
            List<GatewayProcess> all = new ArrayList<>(classNodes);
            all.addAll(nodes);
            return all;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        className = context.getRequiredTestClass().getSimpleName();
        testName = "class";
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        className = context.getRequiredTestClass().getSimpleName();
        testName = context.getRequiredTestMethod().getName();
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        if (context.getExecutionException().isPresent()) {
            printDiagnostics(context);
        }
        List<WsClient> openClients;
        synchronized (clients) {
            openClients = List.copyOf(clients);
            clients.clear();
        }
        openClients.forEach(WsClient::abort);
        List<GatewayProcess> running;
        synchronized (nodes) {
            running = List.copyOf(nodes);
            nodes.clear();
        }
        running.forEach(GatewayProcess::close);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            printDiagnostics(context);
        }
        synchronized (clients) {
            classClients.forEach(WsClient::abort);
            classClients.clear();
        }
        synchronized (nodes) {
            classNodes.forEach(GatewayProcess::close);
            classNodes.clear();
        }
    }

    private void printDiagnostics(ExtensionContext context) {
        StringBuilder out = new StringBuilder();
        for (GatewayProcess node : nodes()) {
            out.append("\n===== ").append(context.getDisplayName()).append(": last ").append(TAIL_LINES)
                    .append(" lines of ").append(node).append(node.isAlive() ? "" : " (exited)")
                    .append(", full log in ").append(node.logFile().toAbsolutePath()).append(" =====\n")
                    .append(node.tail(TAIL_LINES)).append('\n');
        }
        System.err.println(out);
    }

    /** Environment overrides, in order, for {@link #start(Map)}: {@code env("A", "1", "B", "2")}. */
    public static Map<String, String> env(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("env needs key, value pairs");
        }
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }
}
