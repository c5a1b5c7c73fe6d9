package dev.gateway.it.browser;

import java.time.Duration;
import java.util.Map;

import dev.gateway.it.support.BrowserContext;
import dev.gateway.it.support.BrowserPage;
import dev.gateway.it.support.Chromium;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.StaticSite;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The native protocol from a real browser (headless Chromium) on a page of another origin than the gateway's, with
 * {@code FRONTEND_URL} naming the page's origin (PROTOCOL sections 1 and 2): a plain {@code WebSocket} to {@code /ws}
 * connects from the allowed origin and is refused with 403 from any other.
 */
class NativeBrowserTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static Chromium browser;
    private static StaticSite frontEnd;
    private static StaticSite elsewhere;
    private static GatewayProcess node;

    @BeforeAll
    static void start() {
        browser = Chromium.start();
        frontEnd = StaticSite.start();
        elsewhere = StaticSite.start();
        node = CLUSTER.start(Map.of("FRONTEND_URL", frontEnd.origin()));
        String page = """
                <!doctype html><title>native</title>
                <script>
                  window.events = [];
                  window.connect = (url) => {
                    const socket = new WebSocket(url);
                    socket.onmessage = (m) => events.push(JSON.parse(m.data).event);
                    socket.onclose = (e) => events.push('close:' + e.code);
                    window.socket = socket;
                  };
                </script>""";
        frontEnd.page("/", page);
        elsewhere.page("/", page);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
            elsewhere.close();
        }
    }

    private String wsUrl(String user) {
        return "ws://127.0.0.1:" + node.port() + "/ws?access_token=" + Tokens.forUser(user);
    }

    @Test
    void aPageFromTheAllowedOriginConnectsAndIsGreeted() {
        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = context.newPage().open(frontEnd.url("/"));
            page.evaluate("connect('" + wsUrl("browser-alice") + "')");
            page.waitFor("events.includes('connected') && events.includes('presence:bulk-online')");
        }
    }

    @Test
    void aPageFromAnotherOriginIsRefusedWith403() {
        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = context.newPage().open(elsewhere.url("/"));
            page.evaluate("connect('" + wsUrl("browser-mallory") + "')");
            page.waitFor("events.includes('close:1006')");
            assertThat(page.evaluate("events.includes('connected')").asBoolean(), is(false));
            assertThat(node.awaitOutput("event=handshake-refused status=403.*origin " + elsewhere.origin(), Duration.ofSeconds(5)),
                       containsString("not allowed"));
        }
    }
}
