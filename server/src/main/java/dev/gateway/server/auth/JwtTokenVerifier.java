package dev.gateway.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.Identifiers;
import dev.gateway.server.auth.AuthenticationException.Reason;
import dev.gateway.server.config.GatewaySettings.JwtSettings;
import dev.gateway.server.config.StartupException;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkOctet;
import jakarta.json.Json;
import jakarta.json.JsonReader;

/**
 * Verifies JWTs: HS256/384/512 with a shared secret, or the keys of a JWKS file (RS256, ES256, ...), the keys and
 * their signature checks being helidon-security-jwt's {@code Jwk}s; the token is decoded by {@link CompactJws}. The
 * algorithm must be one that the configured keys allow: {@code alg: none} and an HMAC token checked against an RSA
 * key are refused. {@code exp} is required. RFC 7515 4.1.11: a token whose {@code crit} names an extension the
 * recipient does not understand is invalid; no extension is understood here, so any {@code crit} fails.
 */
public final class JwtTokenVerifier implements TokenVerifier {
    private static final int MIN_SECRET_BYTES = 32;
    private final Map<String, Jwk> hmacKeysByAlgorithm;
    private final Optional<JwkKeys> jwks;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Clock clock;

    private JwtTokenVerifier(Map<String, Jwk> hmacKeysByAlgorithm, Optional<JwkKeys> jwks, Optional<String> issuer,
                             Optional<String> audience, Clock clock) {
        this.hmacKeysByAlgorithm = hmacKeysByAlgorithm;
        this.jwks = jwks;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /**
     * A verifier for the configured keys.
     *
     * @param fallbackSecret the development secret, used only when neither a secret nor a JWKS is configured
     * @throws StartupException when no key is configured and there is no fallback, or a key is unusable
     */
    public static JwtTokenVerifier create(JwtSettings settings, Optional<String> fallbackSecret, Clock clock) {
        Optional<String> secret = settings.secret().or(() -> settings.jwksPath().isPresent() ? Optional.empty() : fallbackSecret);
        if (secret.isEmpty() && settings.jwksPath().isEmpty()) {
            throw new StartupException("no JWT key configured: set JWT_SECRET (at least 32 bytes) or JWT_JWKS "
                                               + "(or run in development mode with 'make run')");
        }
        Map<String, Jwk> hmac = new HashMap<>();
        secret.ifPresent(value -> {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new StartupException("JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes, got " + bytes.length);
            }
            for (String alg : List.of(JwkOctet.ALG_HS256, JwkOctet.ALG_HS384, JwkOctet.ALG_HS512)) {
                hmac.put(alg, JwkOctet.create(Json.createObjectBuilder()
                                                      .add("kty", "oct")
                                                      .add("kid", "gateway-" + alg)
                                                      .add("use", Jwk.USE_SIGNATURE)
                                                      .add("alg", alg)
                                                      .add(JwkOctet.PARAM_OCTET_KEY,
                                                           Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
                                                      .build()));
            }
        });
        Optional<JwkKeys> jwks = settings.jwksPath().map(JwtTokenVerifier::readJwks);
        return new JwtTokenVerifier(Map.copyOf(hmac), jwks, settings.issuer(), settings.audience(), clock);
    }

    /** Which key source this verifier uses, for the start-up log line. */
    public String mode() {
        if (!hmacKeysByAlgorithm.isEmpty() && jwks.isPresent()) {
            return "hmac+jwks";
        }
        return jwks.isPresent() ? "jwks" : "hmac";
    }

    @Override
    public Principal verify(String token, long skewSeconds) throws AuthenticationException {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException(Reason.MISSING, "missing token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException(Reason.TOO_LARGE, "token larger than 8 KiB");
        }
        CompactJws jws;
        try {
            jws = CompactJws.parse(token);
        } catch (RuntimeException e) {
            throw new AuthenticationException(Reason.MALFORMED, "malformed token");
        }
        if (jws.hasCriticalHeader()) {
            throw new AuthenticationException(Reason.CRITICAL_HEADER, "token has a crit header (no extension is understood)");
        }
        Jwk key = keyFor(jws);
        if (!signatureVerifies(key, jws)) {
            throw new AuthenticationException(Reason.SIGNATURE, "invalid signature");
        }
        return claims(jws, skewSeconds);
    }

    private Jwk keyFor(CompactJws jws) throws AuthenticationException {
        String alg = jws.algorithm().orElse("none");
        if (Jwk.ALG_NONE.equalsIgnoreCase(alg)) {
            throw new AuthenticationException(Reason.ALGORITHM, "unsigned tokens (alg none) are not accepted");
        }
        Jwk hmac = hmacKeysByAlgorithm.get(alg);
        if (hmac != null) {
            return hmac;
        }
        if (jwks.isPresent()) {
            Optional<Jwk> byKid = jws.keyId().flatMap(kid -> jwks.get().forKeyId(kid));
            Optional<Jwk> key = byKid.or(() -> jwks.get().keys().size() == 1 ? Optional.of(jwks.get().keys().getFirst())
                                                                             : Optional.empty());
            if (key.isPresent() && key.get().algorithm().equals(alg)) {
                return key.get();
            }
        }
        throw new AuthenticationException(Reason.ALGORITHM, "algorithm " + alg + " is not accepted");
    }

    /** The key's own check (HMAC, RSA, EC with JWS's R||S signatures); a signature it cannot even read is invalid. */
    private static boolean signatureVerifies(Jwk key, CompactJws jws) {
        try {
            return key.verifySignature(jws.signedBytes(), jws.signature());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Principal claims(CompactJws jws, long skewSeconds) throws AuthenticationException {
        Instant now = clock.instant();
        Optional<Instant> expiry;
        Optional<Instant> nbf;
        Optional<Instant> iat;
        try {
            expiry = jws.timeClaim("exp");
            nbf = jws.timeClaim("nbf");
            iat = jws.timeClaim("iat");
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException(Reason.CLAIMS, "exp, nbf and iat must be numbers of seconds");
        }
        Instant exp = expiry.orElseThrow(() -> new AuthenticationException(Reason.CLAIMS, "token has no exp claim"));
        if (!now.isBefore(exp.plusSeconds(skewSeconds))) {
            throw new AuthenticationException(Reason.EXPIRED, "token expired");
        }
        if (nbf.isPresent() && now.plusSeconds(skewSeconds).isBefore(nbf.get())) {
            throw new AuthenticationException(Reason.NOT_YET_VALID, "token not valid yet (nbf)");
        }
        if (iat.isPresent() && now.plusSeconds(skewSeconds).isBefore(iat.get())) {
            throw new AuthenticationException(Reason.NOT_YET_VALID, "token issued in the future (iat)");
        }
        if (issuer.isPresent() && !issuer.equals(jws.stringClaim("iss"))) {
            throw new AuthenticationException(Reason.CLAIMS, "wrong issuer");
        }
        if (audience.isPresent() && !jws.audience().contains(audience.get())) {
            throw new AuthenticationException(Reason.CLAIMS, "wrong audience");
        }
        String sub = jws.stringClaim("sub")
                .orElseThrow(() -> new AuthenticationException(Reason.CLAIMS, "token has no sub claim"));
        if (!Identifiers.isValid(sub)) {
            throw new AuthenticationException(Reason.CLAIMS, "sub must be " + Identifiers.RULE);
        }
        return new Principal(sub, nonEmpty(jws.stringClaim("roleContextId")), nonEmpty(jws.stringClaim("deviceId")), exp);
    }

    private static Optional<String> nonEmpty(Optional<String> claim) {
        return claim.filter(value -> !value.isEmpty());
    }

    private static JwkKeys readJwks(String path) {
        try (InputStream in = Files.newInputStream(Path.of(path)); JsonReader reader = Json.createReader(in)) {
            return JwkKeys.create(reader.readObject());
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot read JWT_JWKS file " + path + ": " + e.getMessage());
        }
    }
}
