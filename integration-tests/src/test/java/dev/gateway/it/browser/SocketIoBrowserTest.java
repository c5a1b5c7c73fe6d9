package dev.gateway.it.browser;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.BrowserContext;
import dev.gateway.it.support.BrowserPage;
import dev.gateway.it.support.Chromium;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.NodePackages;
import dev.gateway.it.support.StaticSite;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL sections 1 and 8 in a real browser: headless Chromium on a page of the front end's origin, the gateway on
 * another origin with {@code FRONTEND_URL} naming the front end, socket.io-client 4.8 (its browser bundle, loaded by the
 * page as a front end would) with its default options: HTTP long-polling through CORS, then the upgrade to a
 * WebSocket.
 */
class SocketIoBrowserTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    /** The test page: {@code start(url, options)} connects, {@code ask(event, data)} emits and resolves with the ack. */
    private static final String PAGE = """
            <!doctype html><title>socket.io front end</title>
            <script src="/socket.io.min.js"></script>
            <script>
              window.log = [];
              window.start = (url, options) => {
                const socket = io(url, Object.assign({reconnection: false}, options));
                window.socket = socket;
                socket.on('connect', () => log.push({type: 'connect', id: socket.id}));
                socket.on('connect_error', (e) => log.push({type: 'connect_error', message: e.message}));
                socket.on('disconnect', (reason) => log.push({type: 'disconnect', reason}));
                socket.onAny((event, data) => log.push({type: 'event', event, data}));
                return true;
              };
              window.ask = (event, data) => new Promise((resolve) => socket.emit(event, data, resolve));
              window.seen = (event) => log.filter((l) => l.type === 'event' && l.event === event).map((l) => l.data);
              window.transport = () => socket.io.engine && socket.io.engine.transport.name;
            </script>""";

    private static Chromium browser;
    private static StaticSite frontEnd;
    private static StaticSite elsewhere;
    private static GatewayProcess node;

    @BeforeAll
    static void start() {
        browser = Chromium.start();
        frontEnd = StaticSite.start().page("/", PAGE).file("/socket.io.min.js", NodePackages.socketIoClientBundle());
        elsewhere = StaticSite.start().page("/", PAGE).file("/socket.io.min.js", NodePackages.socketIoClientBundle());
        node = CLUSTER.start(Map.of("FRONTEND_URL", frontEnd.origin()));
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

    private String gateway() {
        return "http://127.0.0.1:" + node.port();
    }

    /** Opens the front end in a context and connects {@code user} with these extra socket.io-client options. */
    private BrowserPage connected(BrowserContext context, String user, String options) {
        BrowserPage page = context.newPage().open(frontEnd.url("/"));
        page.evaluate("start('" + gateway() + "', Object.assign({auth: {token: '" + Tokens.forUser(user) + "'}}, " + options + "))");
        page.waitFor("log.some((l) => l.type === 'connect')");
        return page;
    }

    private static void chatsAndUpgrades(BrowserPage page, String chatId) {
        assertThat(page.evaluate("ask('chat:join', {chatId: '" + chatId + "'})").path("success").asBoolean(), is(true));
        JsonNode sent = page.evaluate("ask('chat:send', {chatId: '" + chatId + "', content: 'hello from a browser'})");
        assertThat(sent.toString(), sent.path("status").asText(), is("ACCEPTED"));
        page.waitFor("seen('chat:message').some((m) => m.content === 'hello from a browser')");
        page.waitFor("transport() === 'websocket'");
        JsonNode again = page.evaluate("ask('chat:send', {chatId: '" + chatId + "', content: 'after the upgrade'})");
        assertThat(again.path("status").asText(), is("ACCEPTED"));
        page.waitFor("seen('chat:message').some((m) => m.content === 'after the upgrade')");
    }

    @Test
    void defaultOptionsConnectOverPollingUpgradeToAWebSocketAndChat() {
        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = connected(context, "b-default", "{}");

            assertThat(page.evaluate("seen('connected')[0].userId").asText(), is("b-default"));
            chatsAndUpgrades(page, "browser-default");
        }
    }

    @Test
    void withCredentialsTrueConnectsAndChats() {
        try (BrowserContext context = browser.newContext()) {
            chatsAndUpgrades(connected(context, "b-credentials", "{withCredentials: true}"), "browser-credentials");
        }
    }

    @Test
    void extraHeadersPassThePreflightAndChat() {
        try (BrowserContext context = browser.newContext()) {
            chatsAndUpgrades(connected(context, "b-headers", "{extraHeaders: {'X-Tenant': 'acme'}, withCredentials: true}"),
                             "browser-headers");
        }
    }

    @Test
    void presenceOnlineAndOfflineReachASecondBrowserContext() {
        try (BrowserContext watcher = browser.newContext(); BrowserContext watched = browser.newContext()) {
            BrowserPage bob = connected(watcher, "b-bob", "{}");
            assertThat(bob.evaluate("ask('presence:subscribe', {userIds: ['b-alice']})").path("success").asBoolean(), is(true));

            BrowserPage alice = connected(watched, "b-alice", "{}");
            bob.waitFor("seen('presence:online').some((p) => p.userId === 'b-alice')");

            alice.evaluate("socket.disconnect(), true");
            bob.waitFor("seen('presence:offline').some((p) => p.userId === 'b-alice' && p.reason === 'disconnected')");
        }
    }

    @Test
    void aPageFromAnOriginNotAllowedGetsAConnectError() {
        try (BrowserContext context = browser.newContext()) {
            BrowserPage page = context.newPage().open(elsewhere.url("/"));
            page.evaluate("start('" + gateway() + "', {auth: {token: '" + Tokens.forUser("b-mallory") + "'}})");

            page.waitFor("log.some((l) => l.type === 'connect_error')");
            assertThat(page.evaluate("log.some((l) => l.type === 'connect')").asBoolean(), is(false));
        }
    }
}
