package dev.gateway.protocol.store;

/**
 * One field of {@code presence:user:{userId}}: a live socket of the user.
 *
 * @param connectedAt ISO-8601 UTC
 * @param lastSeen    ISO-8601 UTC of the last {@code presence:ping}
 */
public record PresenceEntry(String serverId, String connectedAt, String lastSeen) {
}
