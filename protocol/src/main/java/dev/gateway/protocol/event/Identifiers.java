package dev.gateway.protocol.event;

import java.util.regex.Pattern;

/**
 * The one rule for the ids of the contract (user ids, chat ids, device ids, role context ids; PROTOCOL section 2):
 * 1..128 characters of {@code [A-Za-z0-9._:@-]}. Events, tokens, handshakes, the server API, the demo page and
 * {@code gatewayctl} all check ids here and word the refusal with {@link #RULE}.
 */
public final class Identifiers {
    /** The longest id. */
    public static final int MAX_LENGTH = 128;
    /** The rule in words, for error messages: "chatId must be " + RULE. */
    public static final String RULE = "1.." + MAX_LENGTH + " characters of [A-Za-z0-9._:@-]";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_LENGTH + "}");

    private Identifiers() {
    }

    /** Whether {@code id} follows the rule; {@code null} does not. */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
