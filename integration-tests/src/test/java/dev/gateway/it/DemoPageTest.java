package dev.gateway.it;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The demo page and its token route exist in development mode only, and the token route only while the gateway
 * verifies with the development secret: nobody can mint tokens for a gateway configured for real.
 */
class DemoPageTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static Map<String, String> devMode(boolean withSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_DEV_MODE", "true");
        if (!withSecret) {
            env.put("JWT_SECRET", null);
        }
        return env;
    }

    @Test
    void developmentModeServesThePageAndMintsTokensThatTheGatewayAccepts() {
        GatewayProcess node = CLUSTER.start(devMode(false));

        HttpResponse<String> page = node.get("/");
        HttpResponse<String> token = node.get("/demo/token?user=newcomer");

        assertThat(page.statusCode(), is(200));
        assertThat(page.body(), containsString("Join the chat"));
        assertThat(node.get("/demo.js").statusCode(), is(200));
        assertThat(token.statusCode(), is(200));
        assertThat(token.body(), startsWith("{\"token\":\"ey"));
        assertThat(node.get("/demo/token?user=not%20valid").statusCode(), is(400));
    }

    @Test
    void outsideDevelopmentModeThereIsNoPageAndNoTokenRoute() {
        GatewayProcess node = CLUSTER.start();

        assertThat(node.get("/").statusCode(), is(404));
        assertThat(node.get("/demo/token?user=newcomer").statusCode(), is(404));
    }

    @Test
    void developmentModeWithARealSecretMintsNoTokens() {
        GatewayProcess node = CLUSTER.start(devMode(true));

        assertThat(node.get("/").statusCode(), is(200));
        assertThat(node.get("/demo/token?user=newcomer").statusCode(), is(404));
    }
}
