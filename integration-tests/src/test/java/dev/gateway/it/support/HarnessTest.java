package dev.gateway.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;

import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The harness itself: tokens that an independent JWT library accepts, and a Redis that restarts on its port. */
class HarnessTest {
    private static final JwkKeys NO_KEYS = JwkKeys.builder().build();

    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @Test
    void tokensSignedByTheHarnessVerifyWithHelidonJwtForEveryHmacAlgorithm() {
        for (String algorithm : new String[] {"HS256", "HS384", "HS512"}) {
            SignedJwt jwt = SignedJwt.parseToken(Tokens.claims("alice").algorithm(algorithm).sign());

            assertThat(algorithm, jwt.verifySignature(NO_KEYS, key(Tokens.SECRET, algorithm)).isValid(), is(true));
            assertThat(algorithm, jwt.verifySignature(NO_KEYS, key(Tokens.WRONG_SECRET, algorithm)).isValid(), is(false));
            assertThat(jwt.getJwt().subject().orElseThrow(), is("alice"));
        }
    }

    @Test
    void unsignedTokensDoNotVerify() {
        SignedJwt jwt = SignedJwt.parseToken(Tokens.claims("alice").unsigned());

        assertThat(jwt.verifySignature(NO_KEYS, key(Tokens.SECRET, "HS256")).isValid(), is(false));
    }

    @Test
    void redisRestartsEmptyOnTheSamePort() {
        REDIS.client().set("k", "v");
        int port = REDIS.port();

        REDIS.stop();
        REDIS.start();

        assertThat(REDIS.port(), is(port));
        assertThat(Poll.eventually("GET k after the restart", () -> String.valueOf(REDIS.client().get("k")),
                                   is("null")), is("null"));
    }

    /** A key for tokens without {@code kid}: the default key of verifySignature. */
    @Test
    void gatewayctlRunsAsItsOwnProcessWithTheTestSecret() {
        GatewayCtl.Result result = GatewayCtl.jar(REDIS).run("token", "--user", "alice", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        SignedJwt jwt = SignedJwt.parseToken(result.json().path("token").asText());
        assertThat(jwt.verifySignature(NO_KEYS, key(Tokens.SECRET, "HS256")).isValid(), is(true));
    }

    private static Jwk key(String secret, String algorithm) {
        return JwkOctet.create(Json.createObjectBuilder()
                                          .add("kty", "oct")
                                          .add("alg", algorithm)
                                          .add("use", "sig")
                                          .add("kid", "test")
                                          .add("k", Base64.getUrlEncoder().withoutPadding()
                                                  .encodeToString(secret.getBytes(StandardCharsets.UTF_8)))
                                          .build());
    }
}
