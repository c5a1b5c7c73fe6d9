package dev.gateway.server.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.store.PresenceChange;

/**
 * Reads the presence transitions that the Lua scripts publish on {@code gw:presence} and puts them on this node's
 * event bus.
 */
public final class PresenceChannel implements Consumer<String> {
    private final ObjectMapper mapper;
    private final EventBus bus;

    public PresenceChannel(ObjectMapper mapper, EventBus bus) {
        this.mapper = mapper;
        this.bus = bus;
    }

    @Override
    public void accept(String message) {
        PresenceChange change;
        try {
            change = mapper.readValue(message, PresenceChange.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable presence change", e);
        }
        if (change.isOnline()) {
            bus.publish(new DomainEvent.UserOnline(change.userId(), change.timestamp()));
        } else {
            bus.publish(new DomainEvent.UserOffline(change.userId(), change.timestamp(), change.reason(),
                                                    change.rooms() == null ? List.of() : change.rooms()));
        }
    }
}
