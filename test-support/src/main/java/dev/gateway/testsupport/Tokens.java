package dev.gateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JWTs for the tests, signed by hand (HMAC from the JDK) so that the tokens do not depend on the JWT library the
 * gateway uses, and so that broken tokens ({@code alg: none}, no {@code exp}, a foreign secret) are easy to make.
 */
public final class Tokens {
    /** The {@code JWT_SECRET} every test gateway is started with (43 bytes). */
    public static final String SECRET = "integration-tests-secret-0123456789-abcdef";
    /** A secret the gateways do not know. */
    public static final String WRONG_SECRET = "not-the-gateway-secret-0123456789-abcdefgh";

    // a plain mapper: the tokens are maps of strings and numbers, and this module depends on no gateway module
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** A valid token for {@code userId}, expiring in one hour. */
    public static String forUser(String userId) {
        return claims(userId).sign();
    }

    /** A token builder for {@code userId}: HS256 with {@link #SECRET}, {@code iat} now, {@code exp} in one hour. */
    public static Builder claims(String userId) {
        return new Builder().claim("sub", userId);
    }

    public static final class Builder {
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String algorithm = "HS256";
        private byte[] hmacKey = SECRET.getBytes(StandardCharsets.UTF_8);
        private PrivateKey privateKey;
        private String keyId;
        private final Map<String, Object> extraHeader = new LinkedHashMap<>();

        private Builder() {
            Instant now = Instant.now();
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        }

        public Builder claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Builder without(String name) {
            claims.remove(name);
            return this;
        }

        public Builder expiresAt(Instant exp) {
            return claim("exp", exp.getEpochSecond());
        }

        /** {@code exp} this long from now (negative: already expired). */
        public Builder expiresIn(Duration duration) {
            return expiresAt(Instant.now().plus(duration));
        }

        public Builder notBefore(Instant nbf) {
            return claim("nbf", nbf.getEpochSecond());
        }

        public Builder issuedAt(Instant iat) {
            return claim("iat", iat.getEpochSecond());
        }

        public Builder roleContextId(String role) {
            return claim("roleContextId", role);
        }

        public Builder deviceId(String deviceId) {
            return claim("deviceId", deviceId);
        }

        /** HS256, HS384 or HS512. */
        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder secret(String secret) {
            return hmacKey(secret.getBytes(StandardCharsets.UTF_8));
        }

        /** Raw HMAC key bytes (e.g. an RSA public key, for the HS/RS key-confusion attack). */
        public Builder hmacKey(byte[] key) {
            this.hmacKey = key.clone();
            return this;
        }

        /** Signs with RS256 or ES256 and this private key, naming {@code kid} in the header. */
        public Builder privateKey(String algorithm, PrivateKey key, String kid) {
            this.algorithm = algorithm;
            this.privateKey = key;
            this.keyId = kid;
            return this;
        }

        /** The {@code kid} header. */
        public Builder keyId(String kid) {
            this.keyId = kid;
            return this;
        }

        /** A further header parameter, such as {@code crit}. */
        public Builder header(String name, Object value) {
            extraHeader.put(name, value);
            return this;
        }

        /** The {@code exp} claim in epoch seconds, for assertions such as "the refresh ack carries the token's exp". */
        public long exp() {
            return ((Number) claims.get("exp")).longValue();
        }

        public String sign() {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", algorithm);
            header.put("typ", "JWT");
            if (keyId != null) {
                header.put("kid", keyId);
            }
            header.putAll(extraHeader);
            String signingInput = encode(header) + "." + encode(claims);
            byte[] signature = privateKey == null ? hmac(signingInput) : asymmetric(signingInput);
            return signingInput + "." + B64.encodeToString(signature);
        }

        /** The same claims with header {@code {"alg":"none"}} and an empty signature. */
        public String unsigned() {
            return encode(Map.of("alg", "none", "typ", "JWT")) + "." + encode(claims) + ".";
        }

        private byte[] hmac(String signingInput) {
            String macName = switch (algorithm) {
                case "HS256" -> "HmacSHA256";
                case "HS384" -> "HmacSHA384";
                case "HS512" -> "HmacSHA512";
                default -> throw new IllegalArgumentException("not an HMAC algorithm: " + algorithm);
            };
            try {
                Mac mac = Mac.getInstance(macName);
                mac.init(new SecretKeySpec(hmacKey, macName));
                return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] asymmetric(String signingInput) {
            String signatureName = switch (algorithm) {
                case "RS256" -> "SHA256withRSA";
                // JWS wants the raw R||S form, not DER
                case "ES256" -> "SHA256withECDSAinP1363Format";
                default -> throw new IllegalArgumentException("not an asymmetric algorithm: " + algorithm);
            };
            try {
                Signature signature = Signature.getInstance(signatureName);
                signature.initSign(privateKey);
                signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String encode(Map<String, ?> json) {
        try {
            return B64.encodeToString(MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
