package dev.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient.Refusal;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 2: every refusal happens before the upgrade, as HTTP 401 with
 * {@code {"error":"unauthorized","message":...}} (403 for an origin that is not allowed), and leaves nothing in Redis.
 */
class HandshakeRefusalTest {
    private static final String APP_ORIGIN = "https://app.example.com";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static GatewayProcess node;

    @BeforeAll
    static void startNode() {
        node = CLUSTER.start(Map.of("FRONTEND_URL", APP_ORIGIN + ",https://admin.example.com"));
    }

    @Test
    void aHandshakeWithoutTokenGets401() {
        assertUnauthorized(WsClient.to(node).refusal());
    }

    @Test
    void aTokenSignedWithAnotherSecretGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").secret(Tokens.WRONG_SECRET).sign()));
    }

    @Test
    void aTokenWithATamperedPayloadGets401() {
        String[] valid = Tokens.forUser("alice").split("\\.");
        String[] other = Tokens.forUser("mallory").split("\\.");
        assertUnauthorized(bearer(valid[0] + "." + other[1] + "." + valid[2]));
    }

    @Test
    void anExpiredTokenGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").expiresIn(Duration.ofSeconds(-60)).sign()));
    }

    @Test
    void aTokenNotValidYetGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").notBefore(Instant.now().plusSeconds(60)).sign()));
    }

    @Test
    void aTokenIssuedInTheFutureGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").issuedAt(Instant.now().plusSeconds(60)).sign()));
    }

    @Test
    void aTokenWithAlgNoneGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").unsigned()));
    }

    @Test
    void aTokenWithoutExpGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").without("exp").sign()));
    }

    @Test
    void aTokenWithACritHeaderGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").header("crit", List.of("exp")).header("exp", 1).sign()));
    }

    @Test
    void anHs512TokenWithACritHeaderNamingAnUnknownExtensionGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").algorithm("HS512").header("crit", List.of("urn:example:ext"))
                                          .header("urn:example:ext", true).sign()));
    }

    @Test
    void aTokenWithoutSubGets401() {
        assertUnauthorized(bearer(Tokens.claims("alice").without("sub").sign()));
    }

    @Test
    void aTokenWhoseSubHasForbiddenCharactersGets401() {
        assertUnauthorized(bearer(Tokens.forUser("alice/../bob")));
    }

    @Test
    void aSubOf128AllowedCharactersConnects() {
        String sub = "a.b_c:d@e-" + "x".repeat(118);

        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser(sub)));

        assertThat(client.connected().path("userId").asText(), is(sub));
    }

    @Test
    void aSubOf129CharactersGets401() {
        assertUnauthorized(bearer(Tokens.forUser("x".repeat(129))));
    }

    @Test
    void anEmptySubGets401() {
        assertUnauthorized(bearer(Tokens.forUser("")));
    }

    @Test
    void aTokenThatIsNotAJwtGets401() {
        assertUnauthorized(bearer("not-a-jwt"));
    }

    @Test
    void anAuthorizationHeaderThatIsNotBearerIsRefusedEvenWithAValidQueryToken() {
        Refusal refusal = WsClient.to(node)
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0")
                .accessToken(Tokens.forUser("alice"))
                .refusal();
        assertUnauthorized(refusal);
    }

    @Test
    void anInvalidBearerHeaderIsRefusedEvenWithAValidQueryToken() {
        Refusal refusal = WsClient.to(node)
                .bearer(Tokens.claims("alice").secret(Tokens.WRONG_SECRET).sign())
                .accessToken(Tokens.forUser("alice"))
                .refusal();
        assertUnauthorized(refusal);
    }

    @Test
    void anInvalidQueryTokenGets401() {
        assertUnauthorized(WsClient.to(node).accessToken(Tokens.claims("alice").unsigned()).refusal());
    }

    @Test
    void aTokenLargerThan8KiBIsRefused() {
        String huge = Tokens.claims("alice").claim("padding", "x".repeat(9 * 1024)).sign();
        Refusal refusal = WsClient.to(node).bearer(huge).refusal();
        assertThat(refusal.toString(), refusal.status(), anyOf(is(401), is(400), is(414), is(431)));
        assertNothingRegistered();
    }

    @Test
    void anOriginThatIsNotListedGets403() {
        Refusal refusal = WsClient.to(node).bearer(Tokens.forUser("alice")).origin("https://evil.example.com").refusal();
        assertThat(refusal.toString(), refusal.status(), is(403));
        assertNothingRegistered();
    }

    @Test
    void aListedOriginConnects() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("alice")).origin(APP_ORIGIN));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void theSecondListedOriginConnects() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("alice"))
                                                   .origin("https://admin.example.com"));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void aRequestWithoutOriginConnectsBecauseItIsNotABrowser() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("alice")));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void aValidQueryTokenConnects() {
        WsClient client = CLUSTER.connect(WsClient.to(node).accessToken(Tokens.forUser("alice")));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void theAuthorizationHeaderWinsOverTheQueryToken() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("alice"))
                                                   .accessToken(Tokens.forUser("bob")));

        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void hs384TokensAreAccepted() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.claims("alice").algorithm("HS384").sign()));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void hs512TokensAreAccepted() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.claims("alice").algorithm("HS512").sign()));
        assertThat(client.connected().path("userId").asText(), is("alice"));
    }

    private static Refusal bearer(String token) {
        return WsClient.to(node).bearer(token).refusal();
    }

    private static void assertUnauthorized(Refusal refusal) {
        assertThat(refusal.toString(), refusal.status(), is(401));
        assertThat(refusal.toString(), refusal.json().path("error").asText(), is("unauthorized"));
        assertThat(refusal.toString(), refusal.json().path("message").isTextual(), is(true));
        assertThat(refusal.toString(), refusal.json().path("message").asText(), not(is("")));
        assertNothingRegistered();
    }

    private static void assertNothingRegistered() {
        assertThat(CLUSTER.redis().scan("ws:connection:*"), is(empty()));
        assertThat(CLUSTER.redis().scan("ws:user:*"), is(empty()));
        assertThat(CLUSTER.redis().scan("presence:user:*"), is(empty()));
        assertThat(CLUSTER.records().onlineUsers(), is(empty()));
    }
}
