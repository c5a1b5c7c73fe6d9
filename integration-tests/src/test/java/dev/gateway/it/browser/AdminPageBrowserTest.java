package dev.gateway.it.browser;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.gateway.it.support.ApiClient;
import dev.gateway.it.support.BrowserContext;
import dev.gateway.it.support.BrowserPage;
import dev.gateway.it.support.Chromium;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The admin page (PROTOCOL section 11) in a real headless Chromium, against two nodes with real clients: an operator
 * gives the key once, sees both nodes and the online users, finds a user, and disconnects them; their sockets close
 * with 4403 and the page shows each socket's result. The screenshot lands in {@code target/screenshots/admin.png}
 * (the README's docs/admin.png is one of these).
 */
class AdminPageBrowserTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static Chromium browser;
    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    @BeforeAll
    static void start() {
        browser = Chromium.start();
        Map<String, String> env = Gateways.env("GATEWAY_API_KEY", ApiClient.KEY);
        CompletableFuture<GatewayProcess> a = CompletableFuture.supplyAsync(() -> CLUSTER.start("admin-a", env));
        CompletableFuture<GatewayProcess> b = CompletableFuture.supplyAsync(() -> CLUSTER.start("admin-b", env));
        nodeA = a.join();
        nodeB = b.join();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String rows(String table) {
        return "[...document.querySelectorAll('#" + table + " tbody tr')]";
    }

    @Test
    void anOperatorSeesBothNodesFindsAUserAndDisconnectsThemWith4403() {
        WsClient aliceLaptop = CLUSTER.connect(nodeA, "alice", "laptop", "MacBook");
        WsClient alicePhone = CLUSTER.connect(nodeB, "alice", "phone", "Pixel 8");
        WsClient bob = CLUSTER.connect(nodeB, "bob", "web", "Firefox");
        CLUSTER.connect(nodeA, "carol", "tablet", "iPad");

        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = context.newPage().viewport(1280, 1180).open("http://127.0.0.1:" + nodeB.port() + "/admin");
            page.waitFor("!document.getElementById('key-form').hidden");
            page.evaluate("document.getElementById('key').value = '" + ApiClient.KEY + "';"
                          + "document.getElementById('key-form').requestSubmit(); true");

            page.waitFor(rows("nodes") + ".map((r) => r.dataset.node).sort().join() === 'admin-a,admin-b'");
            page.waitFor("getComputedStyle(document.getElementById('key-form')).display === 'none'");
            page.waitFor(rows("nodes") + ".every((r) => r.textContent.includes('yes'))");
            page.waitFor("document.getElementById('online-count').textContent === '3'");
            page.waitFor("[...document.querySelectorAll('#users li')].map((li) => li.dataset.user).sort().join() "
                         + "=== 'alice,bob,carol'");
            assertThat(page.evaluate("location.href.includes('" + ApiClient.KEY + "')").asBoolean(), is(false));
            assertThat(page.evaluate("sessionStorage.getItem('gateway.apiKey')").asText(), is(ApiClient.KEY));

            // find alice, open her devices and sockets
            page.evaluate("const s = document.getElementById('search'); s.value = 'ali'; s.dispatchEvent(new Event('input')); true");
            page.waitFor("[...document.querySelectorAll('#users li')].map((li) => li.dataset.user).join() === 'alice'");
            page.evaluate("document.querySelector('#users li[data-user=\"alice\"] button').click(); true");
            page.waitFor(rows("sockets") + ".length === 2");
            page.waitFor(rows("devices") + ".map((r) => r.dataset.device).join() === 'laptop,phone'");
            page.screenshot(Path.of("target", "screenshots", "admin.png"));

            page.evaluate("document.getElementById('disconnect-user').click(); true");
            assertThat(aliceLaptop.awaitClose().code(), is(4403));
            assertThat(alicePhone.awaitClose().code(), is(4403));
            page.waitFor(rows("results") + ".filter((r) => r.textContent.includes('closed')).length === 2");
            page.waitFor(rows("results") + ".map((r) => r.dataset.socket).sort().join() === '"
                         + String.join(",", List.of(aliceLaptop.socketId(), alicePhone.socketId()).stream().sorted().toList()) + "'");
            page.waitFor("document.getElementById('online-count').textContent === '2'");
            page.screenshot(Path.of("target", "screenshots", "admin-after-disconnect.png"));
            assertThat(bob.isClosed(), is(false));
        }
    }

    @Test
    void aWrongKeyIsAskedForAgain() {
        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = context.newPage().open("http://127.0.0.1:" + nodeA.port() + "/admin");
            page.waitFor("!document.getElementById('key-form').hidden");
            page.evaluate("document.getElementById('key').value = 'not-the-key';"
                          + "document.getElementById('key-form').requestSubmit(); true");
            page.waitFor("document.getElementById('key-error').textContent.includes('refused')");
            page.waitFor("getComputedStyle(document.getElementById('key-form')).display !== 'none'"
                          + " && getComputedStyle(document.getElementById('main')).display === 'none'");
            assertThat(page.evaluate("sessionStorage.getItem('gateway.apiKey') === null").asBoolean(), is(true));
        }
    }
}
