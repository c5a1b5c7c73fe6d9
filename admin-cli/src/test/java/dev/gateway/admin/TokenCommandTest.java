package dev.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.gateway.protocol.auth.DevelopmentMode;
import dev.gateway.protocol.event.Json;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** {@code token} needs no Redis: none runs here, and --redis points nowhere. */
class TokenCommandTest {
    private static final String SECRET = "a-test-secret-of-at-least-32-bytes-long";
    private static final Map<String, String> CONFIGURED = Map.of("JWT_SECRET", SECRET, "REDIS_URL", "redis://127.0.0.1:1");

    @Test
    void theTokenIsSignedWithJwtSecretAndCarriesTheClaims() {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token", "--user", "alice", "--role", "admin",
                                    "--device", "phone", "--ttl", "15m");

        assertThat(result.exitCode(), is(0));
        assertThat(result.err(), is(""));
        SignedJwt signed = SignedJwt.parseToken(result.out().strip());
        assertThat(verifies(signed, SECRET), is(true));
        Jwt jwt = signed.getJwt();
        assertThat(jwt.algorithm().orElseThrow(), is("HS256"));
        assertThat(jwt.subject().orElseThrow(), is("alice"));
        assertThat(((JsonString) jwt.payloadClaim("roleContextId").orElseThrow()).getString(), is("admin"));
        assertThat(((JsonString) jwt.payloadClaim("deviceId").orElseThrow()).getString(), is("phone"));
        assertThat(jwt.issueTime().orElseThrow(), is(Fixture.CLOCK.instant()));
        assertThat(jwt.expirationTime().orElseThrow(), is(Fixture.CLOCK.instant().plus(Duration.ofMinutes(15))));
        assertThat(jwt.issuer().isPresent(), is(false));
    }

    @Test
    void theTokenIsTheOnlyLineOnStdoutSoThatAShellCanCaptureIt() {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token", "--user", "alice");

        assertThat(result.lines().size(), is(1));
        assertThat(result.out(), startsWith("eyJ"));
    }

    @Test
    void theTokenLastsAnHourByDefault() {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token", "--user", "alice");

        Jwt jwt = SignedJwt.parseToken(result.out().strip()).getJwt();
        assertThat(jwt.expirationTime().orElseThrow(), is(Fixture.CLOCK.instant().plus(Duration.ofHours(1))));
        assertThat(jwt.payloadClaim("roleContextId").isPresent(), is(false));
        assertThat(jwt.payloadClaim("deviceId").isPresent(), is(false));
    }

    @Test
    void issuerAndAudienceComeFromTheEnvironment() {
        Map<String, String> environment = Map.of("JWT_SECRET", SECRET, "JWT_ISSUER", "https://auth.example",
                                                  "JWT_AUDIENCE", "gateway");

        Cli.Result result = Cli.run(environment, Fixture.CLOCK, "token", "--user", "alice");

        Jwt jwt = SignedJwt.parseToken(result.out().strip()).getJwt();
        assertThat(jwt.issuer().orElseThrow(), is("https://auth.example"));
        assertThat(jwt.audience().orElseThrow(), is(List.of("gateway")));
    }

    @Test
    void asJsonTheTokenIsAField() throws Exception {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token", "--user", "alice", "-o", "json");

        String token = Json.mapper().readTree(result.out()).get("token").asText();
        assertThat(verifies(SignedJwt.parseToken(token), SECRET), is(true));
    }

    @Test
    void withoutJwtSecretTheDevelopmentSecretSignsAndStderrSaysSo() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "token", "--user", "alice");

        assertThat(result.exitCode(), is(0));
        assertThat(result.errLines(), contains(startsWith("note: JWT_SECRET is unset; signed with the development secret")));
        SignedJwt signed = SignedJwt.parseToken(result.out().strip());
        assertThat(verifies(signed, DevelopmentMode.JWT_SECRET), is(true));
        assertThat(verifies(signed, SECRET), is(false));
    }

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        Cli.Result result = Cli.run(Map.of("JWT_SECRET", "short"), Fixture.CLOCK, "token", "--user", "alice");

        assertThat(result.exitCode(), is(2));
        assertThat(result.out(), is(""));
        assertThat(result.errLines(), contains("error: JWT_SECRET must be at least 32 bytes (see 'gatewayctl token --help')"));
    }

    @Test
    void aUserIdTheGatewayWouldRefuseIsAUsageError() {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token", "--user", "alice smith");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines().size(), is(1));
    }

    @Test
    void aTokenWithoutUserIsAUsageError() {
        Cli.Result result = Cli.run(CONFIGURED, Fixture.CLOCK, "token");

        assertThat(result.exitCode(), is(2));
    }

    /** Verifies as the gateway does: by the token's algorithm, with no key id in the token. */
    private static boolean verifies(SignedJwt signed, String secret) {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        Jwk key = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                                          .add(Jwk.PARAM_KEY_TYPE, Jwk.KEY_TYPE_OCT)
                                          .add(Jwk.PARAM_KEY_ID, "test")
                                          .add(Jwk.PARAM_ALGORITHM, JwkOctet.ALG_HS256)
                                          .add(JwkOctet.PARAM_OCTET_KEY, k)
                                          .build());
        return signed.verifySignature(JwkKeys.builder().build(), key).isValid();
    }
}
