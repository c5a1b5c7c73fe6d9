package dev.gateway.it;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 2 with {@code JWT_JWKS} (a JWKS file of an RSA and an EC key): RS256 and ES256 tokens from those
 * keys connect; tokens from other keys, with an algorithm that is not configured, or forged with the public key as
 * an HMAC secret (HS/RS key confusion) are refused with 401.
 */
class JwksTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static KeyPair rsa;
    private static KeyPair ec;
    private static KeyPair strangerRsa;
    private static GatewayProcess node;

    @BeforeAll
    static void startNodeWithJwks() throws GeneralSecurityException, IOException {
        rsa = generate("RSA", null);
        ec = generate("EC", "secp256r1");
        strangerRsa = generate("RSA", null);
        Path jwks = Path.of("target", "jwks", "jwks.json").toAbsolutePath();
        Files.createDirectories(jwks.getParent());
        Files.writeString(jwks, jwks(List.of(rsaJwk((RSAPublicKey) rsa.getPublic(), "rsa-1"),
                                             ecJwk((ECPublicKey) ec.getPublic(), "ec-1"))));
        node = CLUSTER.start("node-jwks", Gateways.env("JWT_SECRET", null, "JWT_JWKS", jwks.toString()));
    }

    @Test
    void anRs256TokenSignedByAJwksKeyConnects() {
        String token = Tokens.claims("alice").privateKey("RS256", rsa.getPrivate(), "rsa-1").sign();

        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(token));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void anEs256TokenSignedByAJwksKeyConnects() {
        String token = Tokens.claims("alice").privateKey("ES256", ec.getPrivate(), "ec-1").sign();

        WsClient alice = CLUSTER.connect(WsClient.to(node).bearer(token));

        assertThat(alice.connected().path("userId").asText(), is("alice"));
    }

    @Test
    void anRs256TokenSignedByAnotherKeyGets401() {
        String token = Tokens.claims("alice").privateKey("RS256", strangerRsa.getPrivate(), "rsa-1").sign();

        assertUnauthorized(WsClient.to(node).bearer(token).refusal());
    }

    @Test
    void aTokenNamingAnUnknownKeyIdGets401() {
        String token = Tokens.claims("alice").privateKey("RS256", strangerRsa.getPrivate(), "rsa-unknown").sign();

        assertUnauthorized(WsClient.to(node).bearer(token).refusal());
    }

    @Test
    void anHs256TokenGets401WhenOnlyJwksIsConfigured() {
        assertUnauthorized(WsClient.to(node).bearer(Tokens.forUser("alice")).refusal());
    }

    @Test
    void anHs256TokenForgedWithThePublicKeyAsSecretGets401() {
        String token = Tokens.claims("alice").hmacKey(rsa.getPublic().getEncoded()).keyId("rsa-1").sign();

        assertUnauthorized(WsClient.to(node).bearer(token).refusal());
    }

    @Test
    void anAlgNoneTokenNamingAJwksKeyGets401() {
        assertUnauthorized(WsClient.to(node).bearer(Tokens.claims("alice").keyId("rsa-1").unsigned()).refusal());
    }

    @Test
    void anRs256TokenWithACritHeaderGets401() {
        String token = Tokens.claims("alice").privateKey("RS256", rsa.getPrivate(), "rsa-1")
                .header("crit", List.of("b64")).header("b64", false).sign();

        assertUnauthorized(WsClient.to(node).bearer(token).refusal());
    }

    @Test
    void anEs256TokenWithACritHeaderGets401() {
        String token = Tokens.claims("alice").privateKey("ES256", ec.getPrivate(), "ec-1")
                .header("crit", List.of("exp")).header("exp", 1).sign();

        assertUnauthorized(WsClient.to(node).bearer(token).refusal());
    }

    private static void assertUnauthorized(WsClient.Refusal refusal) {
        assertThat(refusal.toString(), refusal.status(), is(401));
        assertThat(refusal.toString(), refusal.json().path("error").asText(), is("unauthorized"));
        assertThat(CLUSTER.redis().scan("ws:connection:*"), is(empty()));
    }

    private static KeyPair generate(String algorithm, String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (curve == null) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        return generator.generateKeyPair();
    }

    private static String jwks(List<ObjectNode> keys) {
        ObjectNode jwks = Json.mapper().createObjectNode();
        ArrayNode array = jwks.putArray("keys");
        keys.forEach(array::add);
        return jwks.toPrettyString();
    }

    private static ObjectNode rsaJwk(RSAPublicKey key, String kid) {
        ObjectNode jwk = Json.mapper().createObjectNode();
        jwk.put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
                .put("n", B64.encodeToString(unsigned(key.getModulus(), 0)))
                .put("e", B64.encodeToString(unsigned(key.getPublicExponent(), 0)));
        return jwk;
    }

    private static ObjectNode ecJwk(ECPublicKey key, String kid) {
        ObjectNode jwk = Json.mapper().createObjectNode();
        jwk.put("kty", "EC").put("kid", kid).put("use", "sig").put("alg", "ES256").put("crv", "P-256")
                .put("x", B64.encodeToString(unsigned(key.getW().getAffineX(), 32)))
                .put("y", B64.encodeToString(unsigned(key.getW().getAffineY(), 32)));
        return jwk;
    }

    /** Big-endian bytes without the sign byte, left-padded to {@code length} when it is not 0. */
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length == 0 || bytes.length == length) {
            return bytes;
        }
        byte[] padded = new byte[length];
        System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
        return padded;
    }
}
