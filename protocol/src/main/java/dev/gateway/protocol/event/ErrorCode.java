package dev.gateway.protocol.event;

/**
 * Error codes carried by a failed ack or an {@code error} event (PROTOCOL section 3).
 * None of them closes the socket by itself.
 */
public enum ErrorCode {
    /** Not JSON, not an object, no {@code event}, or a binary frame. */
    BAD_FRAME,
    /** An event name the gateway does not handle. */
    UNKNOWN_EVENT,
    /** A field is missing, empty, too long or of the wrong type; the message names the field. */
    VALIDATION,
    /** The credentials offered (for example by {@code auth:refresh}) are not valid. */
    UNAUTHORIZED,
    /** The user may not do this, for example join a chat whose member list excludes them. */
    FORBIDDEN,
    /** The socket sends frames faster than its token bucket allows. */
    RATE_LIMITED,
    /** The gateway failed; the client may retry. */
    INTERNAL
}
