package dev.gateway.server.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Who a verified token speaks for.
 *
 * @param userId        the {@code sub} claim
 * @param roleContextId the {@code roleContextId} claim
 * @param deviceId      the {@code deviceId} claim (the query's {@code deviceId} overrides it)
 * @param expiresAt     the {@code exp} claim
 */
public record Principal(String userId, Optional<String> roleContextId, Optional<String> deviceId, Instant expiresAt) {
}
