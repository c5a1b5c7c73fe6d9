package dev.gateway.it.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/**
 * PROTOCOL sections 1 and 7, {@code gatewayctl token}: a token signed with {@code JWT_SECRET} opens a socket on a
 * gateway started with the same secret, its claims reach the connection record, and without {@code JWT_SECRET} the
 * development secret opens a socket on a gateway in development mode (and on no other). Two nodes serve the class:
 * one with the test secret, one in development mode without any secret.
 */
class TokenCommandTest {
    private static final String SECRET_NODE = "tk-secret";
    private static final String DEV_NODE = "tk-dev";
    private static final String JWT = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(TestRedis.keptBetweenTests());

    private static GatewayProcess secretNode;
    private static GatewayProcess devNode;

    private final InProcessCtl withSecret = new InProcessCtl(Map.of("JWT_SECRET", Tokens.SECRET));
    private final InProcessCtl withoutSecret = new InProcessCtl(Map.of());

    @BeforeAll
    static void startNodes() {
        Map<String, String> devMode = new HashMap<>(Map.of("GATEWAY_DEV_MODE", "true"));
        devMode.put("JWT_SECRET", null);
        List<GatewayProcess> nodes = Nodes.startConcurrently(CLUSTER.gateways(), List.of(Map.entry(SECRET_NODE, Map.of()),
                                                                               Map.entry(DEV_NODE, devMode)));
        secretNode = nodes.get(0);
        devNode = nodes.get(1);
    }

    @Test
    void aTokenFromGatewayctlOpensASocketOnAGatewayWithTheSameSecret() {
        GatewayCtl.Result result = withSecret.run("token", "--user", "tina");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.stdout(), matchesPattern(JWT + "\n"));
        WsClient tina = CLUSTER.connect(WsClient.to(secretNode).bearer(result.stdout().strip()).name("tina"));
        assertThat(tina.connected().path("userId").asText(), is("tina"));
    }

    @Test
    void theTokensDeviceAndRoleReachTheConnectionRecord() {
        GatewayCtl.Result result = withSecret.run("token", "--user", "tina", "--device", "phone", "--role", "admin",
                                                  "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        String token = result.json().path("token").asText();
        WsClient tina = CLUSTER.connect(WsClient.to(secretNode).accessToken(token).name("tina@phone"));
        JsonNode record = Poll.eventually("tina's connection record",
                                          () -> CLUSTER.records().connection(tina.socketId()).orElse(null),
                                          notNullValue());
        assertThat(record.toString(), record.path("userId").asText(), is("tina"));
        assertThat(record.toString(), record.path("deviceId").asText(), is("phone"));
        assertThat(record.toString(), record.path("roleContextId").asText(), is("admin"));
    }

    @Test
    void theTokenLivesAsLongAsTtlSays() {
        GatewayCtl.Result result = withSecret.run("token", "--user", "tina", "--ttl", "15m", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        JsonNode claims = claims(result.json().path("token").asText());
        assertThat(claims.toString(), claims.path("sub").asText(), is("tina"));
        assertThat(claims.toString(), claims.path("exp").asLong() - claims.path("iat").asLong(), is(15 * 60L));
    }

    @Test
    void aTokenFromTheLauncherOpensASocket() {
        GatewayCtl.Result result = GatewayCtl.launcher(Map.of("JWT_SECRET", Tokens.SECRET)).run("token", "--user", "tina");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.stderr(), is(""));
        WsClient tina = CLUSTER.connect(WsClient.to(secretNode).bearer(result.stdout().strip()).name("tina"));
        assertThat(tina.connected().path("userId").asText(), is("tina"));
    }

    @Test
    void withoutJwtSecretTheTokenOpensASocketOnAGatewayInDevelopmentMode() {
        GatewayCtl.Result result = withoutSecret.run("token", "--user", "dev");

        assertThat(result.toString(), result.exitCode(), is(0));
        WsClient dev = CLUSTER.connect(WsClient.to(devNode).bearer(result.stdout().strip()).name("dev"));
        assertThat(dev.connected().path("userId").asText(), is("dev"));
    }

    @Test
    void withoutJwtSecretTheTokenCommandSaysOnStderrThatItUsedTheDevelopmentSecret() {
        GatewayCtl.Result result = withoutSecret.run("token", "--user", "dev");

        assertThat(result.toString(), result.stderrLines().size(), is(1));
        assertThat(result.toString(), result.stderr(), containsString("development secret"));
        assertThat(result.toString(), result.stdout(), matchesPattern(JWT + "\n"));
    }

    @Test
    void aDevelopmentSecretTokenIsRefusedByAGatewayWithItsOwnSecret() {
        GatewayCtl.Result result = withoutSecret.run("token", "--user", "dev");

        WsClient.Refusal refusal = WsClient.to(secretNode).bearer(result.stdout().strip()).name("dev").refusal();

        assertThat(refusal.body(), refusal.status(), is(401));
    }

    /** The payload of a JWT, decoded. */
    private static JsonNode claims(String token) {
        String payload = token.split("\\.")[1];
        try {
            return Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }
}
