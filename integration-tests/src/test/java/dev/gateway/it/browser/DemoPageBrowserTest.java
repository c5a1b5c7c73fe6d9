package dev.gateway.it.browser;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.gateway.it.support.BrowserContext;
import dev.gateway.it.support.BrowserPage;
import dev.gateway.it.support.Chromium;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo page of development mode ({@code GET /}), as a newcomer uses it: two people in two browser profiles pick a
 * name, join a room, see each other online, see the other typing, and chat. Screenshots land in
 * {@code target/screenshots/}.
 */
class DemoPageBrowserTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static Chromium browser;
    private static GatewayProcess node;

    @BeforeAll
    static void start() {
        browser = Chromium.start();
        Map<String, String> devMode = new HashMap<>();
        devMode.put("GATEWAY_DEV_MODE", "true");
        devMode.put("JWT_SECRET", null); // the development secret, as `make run` has it
        node = CLUSTER.start(devMode);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private BrowserPage join(BrowserContext context, String name, String room) {
        BrowserPage page = context.newPage().open("http://127.0.0.1:" + node.port() + "/");
        page.evaluate("document.getElementById('name').value = '" + name + "';"
                      + "document.getElementById('room').value = '" + room + "';"
                      + "document.getElementById('join-form').requestSubmit(); true");
        page.waitFor("document.getElementById('status').textContent === 'online'");
        return page;
    }

    private static String online() {
        return "[...document.querySelectorAll('#online li')].map((li) => li.textContent).join(',')";
    }

    @Test
    void twoNewcomersSeeEachOtherOnlineTypingAndChat() {
        try (BrowserContext first = browser.newContext(); BrowserContext second = browser.newContext()) {
            BrowserPage ann = join(first, "ann", "demo-room");
            BrowserPage ben = join(second, "ben", "demo-room");

            ann.waitFor(online() + ".includes('ben')");
            ben.waitFor(online() + ".includes('ann')");

            ben.evaluate("const m = document.getElementById('message'); m.value = 'hel';"
                         + "m.dispatchEvent(new Event('input')); true");
            ann.waitFor("document.getElementById('typing').textContent.includes('ben is typing')");

            ben.evaluate("document.getElementById('message').value = 'hello ann';"
                         + "document.getElementById('send-form').requestSubmit(); true");
            ann.waitFor("[...document.querySelectorAll('.message .bubble')].some((b) => b.textContent === 'hello ann')");
            ben.waitFor("[...document.querySelectorAll('.message.mine .bubble')].some((b) => b.textContent === 'hello ann')");
            ann.waitFor("document.getElementById('typing').textContent === ''");

            ann.evaluate("document.getElementById('message').value = 'hi ben, welcome';"
                         + "document.getElementById('send-form').requestSubmit(); true");
            ben.waitFor("[...document.querySelectorAll('.message .bubble')].some((b) => b.textContent === 'hi ben, welcome')");
            ann.screenshot(Path.of("target", "screenshots", "demo-ann.png"));

            ben.evaluate("document.getElementById('leave').click(); true");
            ann.waitFor("!" + online() + ".includes('ben')");
        }
    }
}
