package dev.gateway.it.ctl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import static org.hamcrest.Matchers.is;

/** Gateway nodes for the gatewayctl scenarios. */
final class Nodes {
    private Nodes() {
    }

    /** Starts the nodes at once, each on its own thread (a JVM start is most of a test's set-up time). */
    static List<GatewayProcess> startConcurrently(Gateways gateways, Map<String, String> env, String... nodeIds) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<GatewayProcess>> starting = Arrays.stream(nodeIds)
                    .map(id -> CompletableFuture.supplyAsync(() -> gateways.start(id, env), threads))
                    .toList();
            return starting.stream().map(CompletableFuture::join).toList();
        }
    }

    /** Starts the nodes at once, each with its own overrides (node id to overrides), in the order given. */
    static List<GatewayProcess> startConcurrently(Gateways gateways, List<Map.Entry<String, Map<String, String>>> nodes) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<GatewayProcess>> starting = nodes.stream()
                    .map(node -> CompletableFuture.supplyAsync(() -> gateways.start(node.getKey(), node.getValue()), threads))
                    .toList();
            return starting.stream().map(CompletableFuture::join).toList();
        }
    }

    /**
     * Waits until every node has rewritten its {@code ws:node} record since {@link TestRedis} emptied Redis before the
     * test: until then {@code nodes} would not list it, and {@code disconnect} would take it for dead.
     */
    static void awaitHeartbeats(TestRedis redis, List<GatewayProcess> nodes) {
        for (GatewayProcess node : nodes) {
            Poll.eventually(node.nodeId() + "'s ws:node record after the flush",
                            () -> GatewayRecords.of(redis).node(node.nodeId()).isPresent(), is(true));
        }
    }
}
