package dev.gateway.it;

import java.util.List;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/** PROTOCOL section 2: with {@code JWT_ISSUER} and {@code JWT_AUDIENCE} set, tokens must carry both. */
class IssuerAudienceTest {
    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "chat-gateway";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-iss").env(Gateways.env("JWT_ISSUER", ISSUER, "JWT_AUDIENCE", AUDIENCE));

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-iss");
    }

    @Test
    void aTokenWithTheConfiguredIssuerAndAudienceConnects() {
        String token = Tokens.claims("alice").claim("iss", ISSUER).claim("aud", AUDIENCE).sign();

        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(token));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void anAudienceListContainingTheConfiguredAudienceConnects() {
        String token = Tokens.claims("alice").claim("iss", ISSUER).claim("aud", List.of("other", AUDIENCE)).sign();

        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(token));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void anotherIssuerGets401() {
        assertUnauthorized(Tokens.claims("alice").claim("iss", "https://evil.example.com").claim("aud", AUDIENCE).sign());
    }

    @Test
    void aMissingIssuerGets401() {
        assertUnauthorized(Tokens.claims("alice").claim("aud", AUDIENCE).sign());
    }

    @Test
    void anotherAudienceGets401() {
        assertUnauthorized(Tokens.claims("alice").claim("iss", ISSUER).claim("aud", "billing").sign());
    }

    @Test
    void aMissingAudienceGets401() {
        assertUnauthorized(Tokens.claims("alice").claim("iss", ISSUER).sign());
    }

    private static void assertUnauthorized(String token) {
        WsClient.Refusal refusal = WsClient.to(node).bearer(token).refusal();
        assertThat(refusal.toString(), refusal.status(), is(401));
        assertThat(refusal.toString(), refusal.json().path("error").asText(), is("unauthorized"));
        assertThat(CLUSTER.redis().scan("ws:connection:*"), is(empty()));
    }
}
