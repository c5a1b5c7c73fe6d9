package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;

/**
 * The opening handshake of RFC 6455 section 4.2.1, checked strictly (PROTOCOL section 4): {@code GET},
 * {@code Connection} with the {@code upgrade} token, {@code Upgrade: websocket}, {@code Sec-WebSocket-Version: 13}
 * (missing: 400; another version: 426 naming 13) and a {@code Sec-WebSocket-Key} that is base64 of 16 bytes.
 * Anything else is answered 400 by Helidon's error handling (a {@link RequestException}), and the connection closes.
 */
final class UpgradeRequest {
    static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    static final HeaderName PROTOCOL = HeaderNames.create("Sec-WebSocket-Protocol");

    private static final String SUPPORTED_VERSION = "13";
    private static final int KEY_BYTES = 16;
    private static final int KEY_CHARACTERS = 24; // base64 of 16 bytes, padding included
    private static final byte[] ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private UpgradeRequest() {
    }

    /**
     * Checks an upgrade request.
     *
     * @return the {@code Sec-WebSocket-Accept} value for the 101 response
     * @throws RequestException 400 or 426, for Helidon to answer
     */
    static String accept(HttpPrologue prologue, Headers headers) {
        if (prologue.method() != Method.GET) {
            throw badRequest("a WebSocket upgrade must be a GET request");
        }
        if (!hasToken(headers, HeaderNames.CONNECTION, "upgrade")) {
            throw badRequest("a WebSocket upgrade needs 'Connection: Upgrade'");
        }
        if (!hasToken(headers, HeaderNames.UPGRADE, "websocket")) {
            throw badRequest("a WebSocket upgrade needs 'Upgrade: websocket'");
        }
        List<String> versions = headers.all(VERSION, List::of);
        if (versions.isEmpty()) {
            throw badRequest("Sec-WebSocket-Version is missing");
        }
        if (versions.size() != 1 || !versions.getFirst().trim().equals(SUPPORTED_VERSION)) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .status(Status.UPGRADE_REQUIRED_426)
                    .header(HeaderValues.create(VERSION, SUPPORTED_VERSION))
                    .message("unsupported WebSocket version: only 13 is supported")
                    .setKeepAlive(false)
                    .build();
        }
        List<String> keys = headers.all(KEY, List::of);
        if (keys.size() != 1 || !isValidKey(keys.getFirst().trim())) {
            throw badRequest("Sec-WebSocket-Key must be the base64 encoding of 16 bytes");
        }
        return acceptFor(keys.getFirst().trim());
    }

    /** {@code base64(SHA-1(key + GUID))}, RFC 6455 section 4.2.2. */
    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(ACCEPT_GUID));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean isValidKey(String key) {
        if (key.length() != KEY_CHARACTERS) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether a comma-separated header (in any number of lines) lists {@code token}, ignoring case. */
    private static boolean hasToken(Headers headers, HeaderName name, String token) {
        for (String value : headers.all(name, List::of)) {
            for (String part : value.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static RequestException badRequest(String message) {
        return RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.BAD_REQUEST_400)
                .message(message)
                .setKeepAlive(false)
                .build();
    }
}
