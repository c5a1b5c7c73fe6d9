package dev.gateway.server.websocket;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gateway.protocol.event.Json;
import dev.gateway.server.auth.AuthenticationException;
import dev.gateway.server.auth.JwtTokenVerifier;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.auth.TokenVerifier;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.config.GatewaySettings.JwtSettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.testsupport.Tokens;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

/**
 * The handshake's decisions (PROTOCOL section 2), with the real JWT verifier on a fixed clock: where the token comes
 * from, which refusal (401, 403, 429, 503) and JSON body each failure gets, in which order the checks run, the device
 * id and name, and that a refusal is counted only when recorded. Redis availability and draining are the switches
 * the node would flip; nothing here needs Redis itself.
 */
class HandshakeAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String FRONTEND = "https://app.example";

    private final TokenVerifier verifier = JwtTokenVerifier.create(
            new JwtSettings(Optional.of(Tokens.SECRET), Optional.empty(), Optional.empty(), Optional.empty()),
            Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
    private final GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), new ClientHub());
    private final AtomicBoolean redisAvailable = new AtomicBoolean(true);
    private final AtomicBoolean draining = new AtomicBoolean(false);
    private final HandshakeAuthenticator authenticator = authenticator(List.of(FRONTEND));

    // where the token comes from

    @Test
    void aValidBearerTokenInTheAuthorizationHeaderIsAccepted() {
        Handshake.Accepted accepted = accepted(check(headers().set(HeaderNames.AUTHORIZATION, "Bearer " + token("alice")),
                                                     ""));

        assertThat(accepted.principal().userId(), is("alice"));
        assertThat(accepted.principal().expiresAt(), is(NOW.plusSeconds(3600)));
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndSpacesAroundTheTokenAreIgnored() {
        Handshake handshake = check(headers().set(HeaderNames.AUTHORIZATION, "  bEaReR   " + token("alice") + "  "), "");

        assertThat(accepted(handshake).principal().userId(), is("alice"));
    }

    @Test
    void aValidTokenInTheAccessTokenQueryParameterIsAccepted() {
        assertThat(accepted(check(headers(), "access_token=" + token("alice"))).principal().userId(), is("alice"));
    }

    @Test
    void theAuthorizationHeaderWinsOverTheQuery() {
        Handshake handshake = check(headers().set(HeaderNames.AUTHORIZATION, "Bearer " + token("alice")),
                                    "access_token=" + token("bob"));

        assertThat(accepted(handshake).principal().userId(), is("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer ", "Token abc"})
    void anAuthorizationHeaderThatIsNotABearerTokenIsRefusedEvenWithAGoodTokenInTheQuery(String authorization) {
        Handshake handshake = check(headers().set(HeaderNames.AUTHORIZATION, authorization), "access_token=" + token("alice"));

        assertRefused(handshake, 401, "{\"error\":\"unauthorized\",\"message\":\"Authorization header must be 'Bearer <token>'\"}");
    }

    @Test
    void aRequestWithoutATokenIsRefused401() {
        assertRefused(check(headers(), ""), 401, "{\"error\":\"unauthorized\",\"message\":\"missing token\"}");
    }

    @Test
    void anEmptyAccessTokenIsNoToken() {
        assertRefused(check(headers(), "access_token=%20"), 401, "{\"error\":\"unauthorized\",\"message\":\"missing token\"}");
    }

    @Test
    void aTokenOfferedAsAWebSocketSubprotocolIsNotRead() {
        Handshake handshake = check(headers().set(HeaderNames.create("Sec-WebSocket-Protocol"), token("alice")), "");

        assertRefused(handshake, 401, "{\"error\":\"unauthorized\",\"message\":\"missing token\"}");
    }

    @Test
    void aTokenGivenByTheSocketIoConnectPacketIsUsedInsteadOfTheRequestsOwn() {
        Handshake handshake = authenticator.authenticate(headers().set(HeaderNames.AUTHORIZATION, "Basic YWxpY2U6c2VjcmV0"),
                                                         query("access_token=" + token("bob")), Optional.of(token("alice")));

        assertThat(accepted(handshake).principal().userId(), is("alice"));
    }

    @Test
    void anEmptyTokenFromTheSocketIoConnectPacketIsRefused() {
        Handshake handshake = authenticator.authenticate(headers(), query("access_token=" + token("bob")), Optional.of(""));

        assertRefused(handshake, 401, "{\"error\":\"unauthorized\",\"message\":\"missing token\"}");
    }

    // bad tokens

    @Test
    void aTokenSignedWithAnotherSecretIsRefused401() {
        String forged = Tokens.claims("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).secret(Tokens.WRONG_SECRET).sign();

        assertRefused(check(headers(), "access_token=" + forged), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"invalid signature\"}");
    }

    @Test
    void anUnsignedTokenIsRefused401() {
        String unsigned = Tokens.claims("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).unsigned();

        assertRefused(check(headers(), "access_token=" + unsigned), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"unsigned tokens (alg none) are not accepted\"}");
    }

    @Test
    void somethingThatIsNotAJwtIsRefused401() {
        assertRefused(check(headers().set(HeaderNames.AUTHORIZATION, "Bearer not-a-jwt"), ""), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"malformed token\"}");
    }

    @Test
    void anExpiredTokenIsRefused401() {
        String expired = Tokens.claims("alice").issuedAt(NOW.minusSeconds(3600)).expiresAt(NOW.minusSeconds(60)).sign();

        assertRefused(check(headers(), "access_token=" + expired), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"token expired\"}");
    }

    @Test
    void aTokenExpiredWithinTheSkewIsStillAcceptedAtTheHandshake() {
        long skew = TokenVerifier.PRESENTED_TOKEN_SKEW_SECONDS;
        String justExpired = Tokens.claims("alice").issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.minusSeconds(skew - 1)).sign();
        String expiredByTheSkew = Tokens.claims("alice").issuedAt(NOW.minusSeconds(60)).expiresAt(NOW.minusSeconds(skew)).sign();

        assertThat(check(headers(), "access_token=" + justExpired), is(instanceOf(Handshake.Accepted.class)));
        assertRefused(check(headers(), "access_token=" + expiredByTheSkew), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"token expired\"}");
    }

    // the device

    @Test
    void theDeviceIdIsTheQuerysElseTheTokensElseDefault() {
        String withDevice = Tokens.claims("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).deviceId("phone").sign();

        assertThat(accepted(check(headers(), "access_token=" + withDevice + "&deviceId=laptop")).deviceId(), is("laptop"));
        assertThat(accepted(check(headers(), "access_token=" + withDevice)).deviceId(), is("phone"));
        assertThat(accepted(check(headers(), "access_token=" + withDevice + "&deviceId=%20")).deviceId(), is("phone"));
        assertThat(accepted(check(headers(), "access_token=" + token("alice"))).deviceId(), is("default"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my%20laptop", "laptop%2F2", "%C3%A9cran"})
    void aDeviceIdOutsideTheIdRuleIsRefused401(String deviceId) {
        assertRefused(check(headers(), "access_token=" + token("alice") + "&deviceId=" + deviceId), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"deviceId must be 1..128 characters of [A-Za-z0-9._:@-]\"}");
    }

    @Test
    void aDeviceIdOfTheTokenOutsideTheIdRuleIsRefused401Too() {
        String badDevice = Tokens.claims("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).deviceId("phone #2").sign();

        assertRefused(check(headers(), "access_token=" + badDevice), 401,
                      "{\"error\":\"unauthorized\",\"message\":\"deviceId must be 1..128 characters of [A-Za-z0-9._:@-]\"}");
    }

    @Test
    void aDeviceIdOf128CharactersOfTheRuleIsAcceptedAnd129AreNot() {
        String longest = "a.b:c@d-" + "x".repeat(120);

        assertThat(accepted(check(headers(), "access_token=" + token("alice") + "&deviceId=" + longest)).deviceId(), is(longest));
        assertThat(check(headers(), "access_token=" + token("alice") + "&deviceId=" + longest + "x"),
                   is(instanceOf(Handshake.Refused.class)));
    }

    @Test
    void theDeviceNameIsTrimmedAndCutTo128Characters() {
        String name = "n".repeat(200);

        assertThat(accepted(check(headers(), "access_token=" + token("alice") + "&deviceName=%20My%20Laptop%20")).deviceName(),
                   is("My Laptop"));
        assertThat(accepted(check(headers(), "access_token=" + token("alice") + "&deviceName=" + name)).deviceName(),
                   is("n".repeat(128)));
        assertThat(accepted(check(headers(), "access_token=" + token("alice"))).deviceName(), is(""));
    }

    @Test
    void theUserAgentIsTheRequestsOrEmpty() {
        Handshake.Accepted withAgent = accepted(check(headers().set(HeaderNames.USER_AGENT, "demo/1.0"),
                                                      "access_token=" + token("alice")));
        Handshake.Accepted withoutAgent = accepted(check(headers(), "access_token=" + token("alice")));

        assertThat(withAgent.userAgent(), is("demo/1.0"));
        assertThat(withoutAgent.userAgent(), is(""));
    }

    @Test
    void theRoleContextOfTheTokenIsKept() {
        String token = Tokens.claims("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).roleContextId("team-7").sign();

        Principal principal = accepted(check(headers(), "access_token=" + token)).principal();

        assertThat(principal.roleContextId(), is(Optional.of("team-7")));
    }

    // checks before the token: origin, draining, Redis

    @Test
    void anOriginNotAllowedIsRefused403BeforeTheTokenIsLookedAt() {
        Handshake handshake = check(headers().set(HeaderNames.ORIGIN, "https://evil.example"), "");

        assertRefused(handshake, 403, "{\"error\":\"forbidden\",\"message\":\"origin not allowed\"}");
        assertThat(((Handshake.Refused) handshake).why(), is("origin https://evil.example not allowed"));
    }

    @Test
    void anAllowedOriginAndNoOriginAtAllAreAdmitted() {
        assertThat(authenticator.admit(headers().set(HeaderNames.ORIGIN, FRONTEND)), is(Optional.empty()));
        assertThat(authenticator.admit(headers()), is(Optional.empty()));
    }

    @Test
    void withNoAllowedOriginsConfiguredEveryOriginIsAdmitted() {
        HandshakeAuthenticator open = authenticator(List.of());

        assertThat(open.admit(headers().set(HeaderNames.ORIGIN, "https://evil.example")), is(Optional.empty()));
    }

    @Test
    void whileRedisIsUnavailableAHandshakeWithAGoodTokenIsRefused503() {
        redisAvailable.set(false);

        assertRefused(check(headers(), "access_token=" + token("alice")), 503,
                      "{\"error\":\"unavailable\",\"message\":\"Redis is unavailable\"}");
    }

    @Test
    void aDrainingNodeRefuses503() {
        draining.set(true);

        assertRefused(check(headers(), "access_token=" + token("alice")), 503,
                      "{\"error\":\"unavailable\",\"message\":\"node is shutting down\"}");
    }

    @Test
    void theOriginIsCheckedBeforeRedis() {
        redisAvailable.set(false);

        Handshake handshake = check(headers().set(HeaderNames.ORIGIN, "https://evil.example"), "access_token=" + token("alice"));

        assertThat(((Handshake.Refused) handshake).status(), is(403));
    }

    // refusals decided after the handshake checks

    @Test
    void aUserWithTooManySocketsIsRefused429() {
        Handshake.Refused refused = authenticator.tooManyConnections("alice");

        assertRefused(refused, 429, "{\"error\":\"too_many_connections\"}");
        assertThat(refused.why(), is("too many connections for user alice"));
    }

    @Test
    void aRegistrationThatFailedIsRefused503() {
        Handshake.Refused refused = authenticator.unavailable();

        assertRefused(refused, 503, "{\"error\":\"unavailable\",\"message\":\"Redis is unavailable\"}");
        assertThat(refused.why(), is("registration failed"));
    }

    // counting

    @Test
    void aRefusalIsCountedUnderItsReasonWhenRecordedNotBefore() {
        Counter expired = counter("gateway.auth.failures", AuthenticationException.Reason.EXPIRED.tag());
        Counter origin = counter("gateway.handshake.refused", "origin");
        long expiredBefore = expired.count();
        long originBefore = origin.count();
        String token = Tokens.claims("alice").issuedAt(NOW.minusSeconds(3600)).expiresAt(NOW.minusSeconds(60)).sign();

        Handshake.Refused refused = (Handshake.Refused) check(headers(), "access_token=" + token);
        assertThat(expired.count() - expiredBefore, is(0L));

        authenticator.record(refused);
        assertThat(expired.count() - expiredBefore, is(1L));
        assertThat(origin.count() - originBefore, is(0L));
    }

    @Test
    void aBadDeviceIdIsCountedAsABadClaim() {
        Counter claims = counter("gateway.auth.failures", AuthenticationException.Reason.CLAIMS.tag());
        long before = claims.count();

        authenticator.record((Handshake.Refused) check(headers(), "access_token=" + token("alice") + "&deviceId=a%20b"));

        assertThat(claims.count() - before, is(1L));
    }

    // helpers

    private HandshakeAuthenticator authenticator(List<String> allowedOrigins) {
        return new HandshakeAuthenticator(verifier, allowedOrigins, redisAvailable::get, draining::get, metrics, Json.mapper());
    }

    private Handshake check(WritableHeaders<?> headers, String query) {
        return authenticator.check(headers, query(query));
    }

    /** A query as it arrives, percent-encoded. */
    private static UriQuery query(String raw) {
        return raw.isEmpty() ? UriQuery.empty() : UriQuery.create(raw);
    }

    private static WritableHeaders<?> headers() {
        return WritableHeaders.create();
    }

    /** A valid token at {@link #NOW}: issued now, expiring in an hour. */
    private static String token(String userId) {
        return Tokens.claims(userId).issuedAt(NOW).expiresAt(NOW.plusSeconds(3600)).sign();
    }

    private static Handshake.Accepted accepted(Handshake handshake) {
        assertThat(handshake, is(instanceOf(Handshake.Accepted.class)));
        return (Handshake.Accepted) handshake;
    }

    private static void assertRefused(Handshake handshake, int status, String body) {
        assertThat(handshake, is(instanceOf(Handshake.Refused.class)));
        Handshake.Refused refused = (Handshake.Refused) handshake;
        assertThat(refused.status(), is(status));
        assertThat(refused.body(), is(body));
    }

    private static Counter counter(String name, String reason) {
        return Metrics.globalRegistry().counter(name, List.of(Tag.create("reason", reason))).orElseThrow();
    }
}
