package dev.gateway.server.chat;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.server.bus.DomainEvent;
import dev.gateway.server.bus.EventBus;
import dev.gateway.server.room.RoomPublisher;
import dev.gateway.server.room.RoomService;

/** Listener: turns typing and read events into frames for the chat's room on every node. */
public final class ChatBroadcaster {
    private final RoomPublisher publisher;
    private final FrameCodec codec;

    public ChatBroadcaster(RoomPublisher publisher, FrameCodec codec) {
        this.publisher = publisher;
        this.codec = codec;
    }

    public void subscribeTo(EventBus bus) {
        bus.subscribe(DomainEvent.Typing.class, this::onTyping);
        bus.subscribe(DomainEvent.Read.class, this::onRead);
    }

    private void onTyping(DomainEvent.Typing typing) {
        publisher.toRoomExcept(RoomService.chatRoom(typing.chatId()), typing.socketId(),
                               codec.encode(new ServerEvent.ChatTyping(typing.chatId(), typing.userId(), typing.isTyping())));
    }

    private void onRead(DomainEvent.Read read) {
        publisher.toRoom(RoomService.chatRoom(read.chatId()),
                         codec.encode(new ServerEvent.ChatRead(read.chatId(), read.userId(), read.messageId())));
    }
}
