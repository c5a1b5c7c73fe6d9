package dev.gateway.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds JWTs by hand (header, payload, signature), so that tests can also make the tokens a careful library refuses
 * to sign: {@code alg: none}, HMAC with an RSA public key as the secret, no {@code exp}.
 */
final class Tokens {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** Claims of a valid token at {@code now}: sub, iat now, exp an hour later. Mutable, in insertion order. */
    static Map<String, Object> claims(String sub, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plusSeconds(3600).getEpochSecond());
        return claims;
    }

    /** A token signed with HMAC: {@code alg} is HS256, HS384 or HS512. */
    static String hmac(String alg, byte[] key, Map<String, Object> claims) {
        return hmac(Map.of("alg", alg, "typ", "JWT"), key, claims);
    }

    /** A token signed with HMAC, with the given header (its {@code alg} chooses the hash). */
    static String hmac(Map<String, Object> header, byte[] key, Map<String, Object> claims) {
        return signed((String) header.get("alg"), key, encode(header) + "." + encode(claims));
    }

    /** An HS256 token whose header and payload are the JSON texts given, as written (to send what no map can hold). */
    static String hs256Raw(byte[] key, String headerJson, String payloadJson) {
        return signed("HS256", key, BASE64URL.encodeToString(utf8(headerJson)) + "." + BASE64URL.encodeToString(utf8(payloadJson)));
    }

    /** An unsigned token: {@code alg} as given (none, None, ...), empty signature. */
    static String unsigned(String alg, Map<String, Object> claims) {
        return encode(Map.of("alg", alg, "typ", "JWT")) + "." + encode(claims) + ".";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String signed(String alg, byte[] key, String signingInput) {
        return signingInput + "." + BASE64URL.encodeToString(mac(alg, key, signingInput));
    }

    private static byte[] mac(String alg, byte[] key, String signingInput) {
        String javaName = switch (alg) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> throw new IllegalArgumentException("not an HMAC algorithm: " + alg);
        };
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(key, javaName));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return BASE64URL.encodeToString(MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
