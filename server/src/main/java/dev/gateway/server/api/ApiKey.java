package dev.gateway.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <GATEWAY_API_KEY>}. Both sides are hashed (SHA-256) and compared with
 * {@link MessageDigest#isEqual}, whose time does not depend on where they differ, and the hashing hides the key's
 * length too: a caller learns nothing from timing. The key itself never leaves this class (no toString, no logging).
 */
final class ApiKey {
    private static final String BEARER = "bearer ";

    private final byte[] expectedDigest;

    ApiKey(String key) {
        this.expectedDigest = sha256(key);
    }

    /** Whether an {@code Authorization} header value carries the key. */
    boolean matches(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return false;
        }
        String value = authorization.get().trim();
        if (value.length() < BEARER.length() || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(value.substring(BEARER.length()).trim()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
