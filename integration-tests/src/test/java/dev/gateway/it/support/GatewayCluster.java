package dev.gateway.it.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.hamcrest.Matchers.is;

/**
 * N gateway nodes on one embedded Redis, the setup most test classes share: the class's {@link TestRedis}, its
 * {@link Gateways}, and the nodes, all in one static extension.
 * <pre>
 *   &#64;RegisterExtension
 *   static final GatewayCluster CLUSTER = GatewayCluster.nodes("chat-a", "chat-b").env(Map.of("K", "v"));
 * </pre>
 * By default the nodes start (at once: each JVM takes seconds) before all tests and stop after all; {@link #perTest()}
 * starts them, one after the other, before each test and stops them after it. {@link #onRedis()} is a Redis and a
 * {@link Gateways} only, for tests that start their nodes themselves. Clients and nodes a test starts through it stop
 * after that test, as with {@link Gateways}.
 */
public final class GatewayCluster implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final List<String> nodeIds;
    private final Map<String, Map<String, String>> nodeEnv = new LinkedHashMap<>();
    private Map<String, String> env = Map.of();
    private TestRedis redis = new TestRedis();
    private Gateways gateways = new Gateways(redis);
    private boolean perTest;
    private boolean awaitHeartbeats;
    private final List<GatewayProcess> running = new ArrayList<>();

    private GatewayCluster(List<String> nodeIds) {
        this.nodeIds = nodeIds;
    }

    /** Nodes with these ids. */
    public static GatewayCluster nodes(String first, String... more) {
        List<String> ids = new ArrayList<>(List.of(first));
        ids.addAll(List.of(more));
        return new GatewayCluster(List.copyOf(ids));
    }

    /** A Redis and a {@link Gateways} only, for tests that start their nodes themselves. */
    public static GatewayCluster onRedis() {
        return new GatewayCluster(List.of());
    }

    /** Environment overrides for every node (see {@link Gateways#start(Map)}). */
    public GatewayCluster env(Map<String, String> overrides) {
        this.env = Map.copyOf(overrides);
        return this;
    }

    /** Environment overrides for one node, on top of {@link #env(Map)}. */
    public GatewayCluster env(String nodeId, Map<String, String> overrides) {
        nodeEnv.put(nodeId, overrides);
        return this;
    }

    /** Another Redis than a plain {@link TestRedis}: one with a password, or {@link TestRedis#keptBetweenTests()}. */
    public GatewayCluster redis(TestRedis testRedis) {
        this.redis = testRedis;
        this.gateways = new Gateways(testRedis);
        return this;
    }

    /** Starts the nodes before each test and stops them after it, instead of once for the class. */
    public GatewayCluster perTest() {
        this.perTest = true;
        return this;
    }

    /**
     * Before each test, waits until every class-wide node has rewritten its {@code ws:node} record since Redis was
     * emptied: a socket registered before its node's next heartbeat lists the node in {@code ws:nodes} without a
     * record, and another node would then reap that live socket as belonging to a dead node.
     */
    public GatewayCluster awaitingHeartbeats() {
        this.awaitHeartbeats = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        redis.beforeAll(context);
        gateways.beforeAll(context);
        if (!perTest) {
            startAll(true);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis.beforeEach(context);
        gateways.beforeEach(context);
        if (perTest) {
            startAll(false);
        } else if (awaitHeartbeats) {
            GatewayRecords records = records();
            for (GatewayProcess node : running) {
                Poll.eventually(node.nodeId() + "'s ws:node record after the flush",
                                () -> records.node(node.nodeId()).isPresent(), is(true));
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        gateways.afterEach(context);
        if (perTest) {
            running.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            gateways.afterAll(context);
        } finally {
            running.clear();
            redis.afterAll(context);
        }
    }

    private void startAll(boolean concurrently) {
        if (!concurrently) {
            nodeIds.forEach(id -> running.add(gateways.start(id, environment(id))));
            return;
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<GatewayProcess>> starting = nodeIds.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> gateways.start(id, environment(id)), threads))
                    .toList();
            starting.forEach(node -> running.add(node.join()));
        }
    }

    private Map<String, String> environment(String nodeId) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(nodeEnv.getOrDefault(nodeId, Map.of()));
        return merged;
    }

    /** The node with this id, of those the cluster started. */
    public GatewayProcess node(String nodeId) {
        return running.stream().filter(node -> node.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running node " + nodeId + " in " + running));
    }

    /** The cluster's nodes, in the order of their ids. */
    public List<GatewayProcess> clusterNodes() {
        return List.copyOf(running);
    }

    /** Starts a further node (see {@link Gateways#start(String, Map)}); stopped after the test it starts in. */
    public GatewayProcess start(String nodeId, Map<String, String> overrides) {
        return gateways.start(nodeId, overrides);
    }

    public GatewayProcess start() {
        return gateways.start();
    }

    public GatewayProcess start(Map<String, String> overrides) {
        return gateways.start(overrides);
    }

    public GatewayProcess launch(String nodeId, Map<String, String> overrides) {
        return gateways.launch(nodeId, overrides);
    }

    public WsClient connect(GatewayProcess node, String userId) {
        return gateways.connect(node, userId);
    }

    public WsClient connect(GatewayProcess node, String userId, String deviceId, String deviceName) {
        return gateways.connect(node, userId, deviceId, deviceName);
    }

    public WsClient connect(WsClient.Handshake handshake) {
        return gateways.connect(handshake);
    }

    public WsClient open(WsClient.Handshake handshake) {
        return gateways.open(handshake);
    }

    /** Every node running for the current test (see {@link Gateways#nodes()}). */
    public List<GatewayProcess> nodes() {
        return gateways.nodes();
    }

    /** The environment a node gets unless overridden (see {@link Gateways#defaults()}). */
    public Map<String, String> defaults() {
        return gateways.defaults();
    }

    public TestRedis redis() {
        return redis;
    }

    public Gateways gateways() {
        return gateways;
    }

    /** Readers of the gateway's Redis layout in the cluster's Redis. */
    public GatewayRecords records() {
        return GatewayRecords.of(redis);
    }
}
