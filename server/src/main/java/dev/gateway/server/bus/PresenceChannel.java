package dev.gateway.server.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gateway.protocol.store.PresenceChange;
import dev.gateway.server.presence.PresenceFanout;

/**
 * Reads the presence transitions that the Lua scripts publish on {@code gw:presence} and hands them to this node's
 * {@link PresenceFanout}, their one listener (a direct call: see docs/DESIGN.md, "One road into a room").
 */
public final class PresenceChannel implements Consumer<String> {
    private final ObjectMapper mapper;
    private final PresenceFanout fanout;

    public PresenceChannel(ObjectMapper mapper, PresenceFanout fanout) {
        this.mapper = mapper;
        this.fanout = fanout;
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
            fanout.online(change.userId(), change.timestamp());
        } else {
            fanout.offline(change.userId(), change.timestamp(), change.reason(),
                           change.rooms() == null ? List.of() : change.rooms());
        }
    }
}
