package dev.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * PROTOCOL section 2: when the token's {@code exp} passes, the server closes the socket with 4401 within a second
 * (no skew), unless {@code auth:refresh} brought a valid token for the same {@code sub} first.
 */
class TokenExpiryTest {
    /** "Within a second" after exp, plus scheduling slack on a busy 2-core machine. */
    private static final long CLOSE_SLACK_MS = 1500;
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-auth");

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-auth");
    }

    @Test
    void aTokenThatExpiresWhileConnectedClosesTheSocketWith4401WithinASecond() {
        Tokens.Builder token = shortLived("alice");
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(token.sign()));

        WsClient.Close close = alice.awaitClose();

        long closedAt = System.currentTimeMillis();
        assertThat(close.code(), is(4401));
        assertThat("closed after exp and within a second of it", closedAt,
                   allOf(greaterThanOrEqualTo(token.exp() * 1000 - 100), lessThanOrEqualTo(token.exp() * 1000 + CLOSE_SLACK_MS)));
    }

    @Test
    void aTokenExpiredWithinTheHandshakeSkewIsAcceptedThenClosedWith4401() {
        String token = Tokens.claims("alice").expiresIn(Duration.ofSeconds(-2)).sign();

        WsClient alice = CLUSTER.open(WsClient.to(node).bearer(token));

        assertThat(alice.awaitClose(Duration.ofSeconds(3)).code(), is(4401));
    }

    @Test
    void aSubscriberSeesTheUserGoOfflineDisconnectedWhenItsTokenExpires() {
        WsClient bob = CLUSTER.connect(node, "bob");
        bob.subscribe("alice");
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(shortLived("alice").sign()));
        bob.awaitEvent("presence:online", EVENT);

        assertThat(alice.awaitClose().code(), is(4401));

        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is("alice"));
        assertThat(offline.path("reason").asText(), is("disconnected"));
    }

    @Test
    void aRefreshWithAValidTokenForTheSameUserKeepsTheSocketOpen() {
        Tokens.Builder first = shortLived("alice");
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(first.sign()));
        Tokens.Builder fresh = Tokens.claims("alice").expiresIn(Duration.ofHours(2));

        JsonNode ack = alice.request("auth:refresh", Map.of("token", fresh.sign()));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        assertThat(ack.toString(), ack.path("exp").asLong(), is(fresh.exp()));
        Poll.during("the socket stays open past the first token's exp", untilAfter(first.exp()), alice::isClosed,
                    is(false));
        assertThat(alice.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void aRefreshedTokenThatExpiresInTurnClosesTheSocketWith4401() {
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(shortLived("alice").sign()));
        Tokens.Builder second = Tokens.claims("alice").expiresAt(Instant.ofEpochSecond(Instant.now().getEpochSecond() + 4));

        assertThat(alice.request("auth:refresh", Map.of("token", second.sign())).path("success").asBoolean(), is(true));

        WsClient.Close close = alice.awaitClose();
        long closedAt = System.currentTimeMillis();
        assertThat(close.code(), is(4401));
        assertThat("closed after the second token's exp", closedAt, greaterThanOrEqualTo(second.exp() * 1000 - 100));
    }

    @Test
    void aRefreshWithATokenForAnotherUserIsRefusedAndChangesNothing() {
        Tokens.Builder first = shortLived("alice");
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(first.sign()));

        JsonNode ack = alice.request("auth:refresh", Map.of("token", Tokens.forUser("mallory")));

        assertRefused(ack);
        assertThat(alice.awaitClose().code(), is(4401));
    }

    @Test
    void aRefreshWithABadlySignedTokenIsRefusedAndChangesNothing() {
        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(shortLived("alice").sign()));

        JsonNode ack = alice.request("auth:refresh", Map.of("token",
                                                            Tokens.claims("alice").secret(Tokens.WRONG_SECRET).sign()));

        assertRefused(ack);
        assertThat(alice.awaitClose().code(), is(4401));
    }

    @Test
    void aRefreshWithAnExpiredTokenIsRefused() {
        WsClient alice = CLUSTER.connect(node, "alice");

        JsonNode ack = alice.request("auth:refresh", Map.of("token",
                                                            Tokens.claims("alice").expiresIn(Duration.ofMinutes(-5)).sign()));

        assertRefused(ack);
        assertThat(alice.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void aRefreshWithAnAlgNoneTokenIsRefused() {
        WsClient alice = CLUSTER.connect(node, "alice");

        JsonNode ack = alice.request("auth:refresh", Map.of("token", Tokens.claims("alice").unsigned()));

        assertRefused(ack);
        assertThat(alice.ping().path("success").asBoolean(), is(true));
    }

    /** A token for {@code userId} whose exp is 2 to 3 s away (exp has whole seconds). */
    private static Tokens.Builder shortLived(String userId) {
        return Tokens.claims(userId).expiresAt(Instant.ofEpochSecond(Instant.now().getEpochSecond() + 3));
    }

    /** From now until 1.5 s after {@code exp}: long enough for the server to have closed on the old exp. */
    private static Duration untilAfter(long exp) {
        return Duration.ofMillis(Math.max(0, exp * 1000 + CLOSE_SLACK_MS - System.currentTimeMillis()));
    }

    private static void assertRefused(JsonNode ack) {
        assertThat(ack.toString(), ack.path("success").asBoolean(true), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("UNAUTHORIZED"));
    }
}
