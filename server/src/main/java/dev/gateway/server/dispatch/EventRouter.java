package dev.gateway.server.dispatch;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import dev.gateway.protocol.event.ClientEvent;
import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.InboundFrame;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.ClientLifecycle;
import dev.gateway.server.observe.GatewayMetrics;

/**
 * The gateway proper: turns each client message into one service call and its answer into an ack or error frame.
 * It knows the wire (PROTOCOL section 3) and the event names, nothing of the business behind them.
 * <p>
 * A bad message gets an error and never closes the socket (except by the rate limit's persistence rule) nor
 * touches other sockets.
 */
public final class EventRouter {
    private static final System.Logger LOG = System.getLogger(EventRouter.class.getName());

    private final Map<Class<? extends ClientEvent>, EventHandler<?>> handlers = new HashMap<>();
    private final Map<String, Function<JsonNode, Map<String, ?>>> failureFields = new HashMap<>();
    private final FrameCodec codec;
    private final ClientLifecycle lifecycle;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public EventRouter(FrameCodec codec, GatewayMetrics metrics, Clock clock, ClientLifecycle lifecycle) {
        this.codec = codec;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Registers the handler of one kind of client event. */
    public <E extends ClientEvent> EventRouter on(Class<E> type, EventHandler<E> handler) {
        handlers.put(type, handler);
        return this;
    }

    /**
     * Gives the failed acks of the event named {@code event} fields of their own (chat:send's {@code status} and
     * {@code clientMsgId}), whatever refused it: validation, the service, or the rate limit; read from the data as
     * sent, since a refused event has no record.
     */
    public EventRouter failureAckFields(String event, Function<JsonNode, Map<String, ?>> fields) {
        failureFields.put(event, fields);
        return this;
    }

    /** Handles one complete text message of a client. */
    public void onText(Client client, String text) {
        InboundFrame frame;
        try {
            frame = codec.decode(text);
        } catch (BadFrameException e) {
            onBadFrame(client, e);
            return;
        }
        onFrame(client, frame);
    }

    /**
     * Handles a message another wire format could not decode (Socket.IO's): counted and answered as a native bad
     * frame would be.
     */
    public void onBadFrame(Client client, BadFrameException e) {
        // a named event whose data is not an object still gets its event's failure fields (chat:send's status)
        Map<String, ?> ackFields = e.event().map(name -> failureFields(name, MissingNode.getInstance())).orElse(Map.of());
        if (admit(client, e.ack(), ackFields)) {
            reply(client, e.ack(), e.code(), e.getMessage(), ackFields);
        }
    }

    /**
     * Handles one decoded client frame, whichever wire format it came in (native JSON or Socket.IO): rate limit,
     * handler, ack or error.
     */
    public void onFrame(Client client, InboundFrame frame) {
        if (!admit(client, frame.ack(), failureFields(frame))) {
            return;
        }
        try {
            Optional<ClientEvent> event = ClientEvent.decode(frame.event(), frame.data());
            EventHandler<ClientEvent> handler = event.map(this::handlerOf).orElse(null);
            if (handler == null) {
                reply(client, frame.ack(), ErrorCode.UNKNOWN_EVENT, "unknown event " + abbreviate(frame.event()));
                return;
            }
            Map<String, ?> result = handler.handle(client, event.get());
            if (frame.ack().isPresent()) {
                client.send(codec.ackSuccess(frame.ack().getAsLong(), result));
            }
        } catch (ProtocolException e) {
            reply(client, frame.ack(), e.code(), e.getMessage(), e.ackFields().isEmpty() ? failureFields(frame) : e.ackFields());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=handler-failed event={0} socket={1} error={2}",
                    frame.event(), client.socketId(), e.toString());
            reply(client, frame.ack(), ErrorCode.INTERNAL, "internal error, try again", failureFields(frame));
        }
    }

    /** Handles one complete binary message: the native protocol is text only. */
    public void onBinary(Client client) {
        if (admit(client, OptionalLong.empty(), Map.of())) {
            reply(client, OptionalLong.empty(), ErrorCode.BAD_FRAME, "binary frames are not supported; send JSON text");
        }
    }

    /** Counts the message against the rate limit; closes the socket 4429 when it keeps exceeding it. */
    private boolean admit(Client client, OptionalLong ack, Map<String, ?> failureAckFields) {
        metrics.frameIn();
        if (client.tryTakeToken(clock.millis())) {
            return true;
        }
        metrics.frameRateLimited();
        if (client.keepsExceedingRateLimit()) {
            lifecycle.end(client, DisconnectReason.RATE_LIMITED, "rate limit exceeded");
        } else {
            reply(client, ack, ErrorCode.RATE_LIMITED, "too many frames; slow down", failureAckFields);
        }
        return false;
    }

    private void reply(Client client, OptionalLong ack, ErrorCode code, String message) {
        reply(client, ack, code, message, Map.of());
    }

    private void reply(Client client, OptionalLong ack, ErrorCode code, String message, Map<String, ?> ackFields) {
        String frame = ack.isPresent() ? codec.ackFailure(ack.getAsLong(), code, message, ackFields) : codec.error(code, message);
        client.send(frame);
    }

    private Map<String, ?> failureFields(InboundFrame frame) {
        return failureFields(frame.event(), frame.data());
    }

    private Map<String, ?> failureFields(String event, JsonNode data) {
        Function<JsonNode, Map<String, ?>> fields = failureFields.get(event);
        return fields == null ? Map.of() : fields.apply(data);
    }

    @SuppressWarnings("unchecked") // on() pairs each record class with a handler of that class
    private EventHandler<ClientEvent> handlerOf(ClientEvent event) {
        return (EventHandler<ClientEvent>) handlers.get(event.getClass());
    }

    private static String abbreviate(String event) {
        return event.length() <= 64 ? event : event.substring(0, 64) + "...";
    }
}
