package dev.gateway.it.websocket;

import dev.gateway.testsupport.Tokens;

/** The two WebSocket endpoints of a node; both run on the same connection layer, so both obey the same framing rules. */
enum Endpoint {
    /** {@code /ws} with a valid token: the server speaks first ({@code connected}). */
    NATIVE {
        @Override
        String target(String userId) {
            return "/ws?access_token=" + Tokens.forUser(userId);
        }
    },
    /** {@code /socket.io/} over WebSocket: the server speaks first (the Engine.IO open packet). */
    SOCKET_IO {
        @Override
        String target(String userId) {
            return "/socket.io/?EIO=4&transport=websocket";
        }
    };

    /** The request target (path and query) of an upgrade that the node accepts. */
    abstract String target(String userId);
}
