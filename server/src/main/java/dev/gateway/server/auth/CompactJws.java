package dev.gateway.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import dev.gateway.protocol.event.Json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A token in the JWS compact serialization ({@code header.payload.signature}, each part base64url), split and
 * decoded but not verified: the key and the signature check stay with helidon-security-jwt's {@code Jwk}.
 * <p>
 * Decoded here with Jackson rather than with {@code SignedJwt.parseToken}: Helidon 4.2.6 reads the header and the
 * payload through Parsson readers it never closes, so each token took two fresh 8 KiB {@code char} buffers (Parsson
 * recycles a buffer only on close); in a profile of a connect storm that allocation was the hottest frame of the
 * handshake (docs/DESIGN.md, "Handshake CPU"). Duplicate names and anything after the JSON object are refused, as
 * Parsson refused them.
 *
 * @param header      the JOSE header
 * @param payload     the claims
 * @param signedBytes what the signature covers: the ASCII of {@code header.payload} as they appear in the token
 * @param signature   the decoded signature
 */
record CompactJws(ObjectNode header, ObjectNode payload, byte[] signedBytes, byte[] signature) {
    private static final ObjectReader READER = Json.mapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final long MAX_NUMERIC_DATE = 1_000_000_000_000L;

    /**
     * Splits and decodes a token.
     *
     * @throws IllegalArgumentException when it is not three base64url parts, or the header or payload is not one JSON
     *                                  object
     */
    static CompactJws parse(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0) {
            throw new IllegalArgumentException("not three dot-separated parts");
        }
        ObjectNode header = object(BASE64URL.decode(token.substring(0, firstDot)));
        ObjectNode payload = object(BASE64URL.decode(token.substring(firstDot + 1, secondDot)));
        byte[] signature = BASE64URL.decode(token.substring(secondDot + 1));
        return new CompactJws(header, payload, token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII), signature);
    }

    /** The header's {@code alg}, when it is a string. */
    Optional<String> algorithm() {
        return string(header, "alg");
    }

    /** The header's {@code kid}, when it is a string. */
    Optional<String> keyId() {
        return string(header, "kid");
    }

    /** Whether the header has a {@code crit} member, whatever its value. */
    boolean hasCriticalHeader() {
        return header.has("crit");
    }

    /** A string claim; a claim of another type counts as absent. */
    Optional<String> stringClaim(String name) {
        return string(payload, name);
    }

    /**
     * A NumericDate claim ({@code exp}, {@code nbf}, {@code iat}: seconds since the epoch, fractions dropped).
     *
     * @throws IllegalArgumentException when the claim is present but not a number of seconds within ±10^12 (about
     *                                  31,700 years; larger ones would overflow, or wrap, on their way to an instant)
     */
    Optional<Instant> timeClaim(String name) {
        JsonNode value = payload.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || !value.canConvertToLong() || Math.abs(value.longValue()) > MAX_NUMERIC_DATE) {
            throw new IllegalArgumentException(name + " is not a number of seconds in range");
        }
        return Optional.of(Instant.ofEpochSecond(value.longValue()));
    }

    /** The {@code aud} claim: one string or an array of them (RFC 7519 4.1.3); other members are ignored. */
    List<String> audience() {
        JsonNode aud = payload.get("aud");
        if (aud == null) {
            return List.of();
        }
        if (aud.isTextual()) {
            return List.of(aud.textValue());
        }
        List<String> audiences = new ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(member -> {
                if (member.isTextual()) {
                    audiences.add(member.textValue());
                }
            });
        }
        return audiences;
    }

    private static ObjectNode object(byte[] json) {
        try {
            if (READER.readTree(json) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        throw new IllegalArgumentException("not a JSON object");
    }

    private static Optional<String> string(ObjectNode node, String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }
}
