package dev.gateway.server.chat;

import dev.gateway.protocol.store.ChatStore;
import dev.gateway.server.config.GatewaySettings.ChatMembership;

/** Who may join a chat: anyone authenticated ({@code open}), or the users the application lists ({@code redis}). */
final class MembershipPolicy {
    private final ChatMembership mode;
    private final ChatStore store;

    MembershipPolicy(ChatMembership mode, ChatStore store) {
        this.mode = mode;
        this.store = store;
    }

    boolean mayJoin(String userId, String chatId) {
        return mode == ChatMembership.OPEN || store.isMember(chatId, userId);
    }
}
