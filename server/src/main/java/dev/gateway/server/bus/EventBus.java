package dev.gateway.server.bus;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The in-process event bus: services publish {@link DomainEvent}s, listeners subscribed by type receive them
 * synchronously, in subscription order. A failing listener is logged and stops neither the publisher nor the other
 * listeners.
 */
public final class EventBus {
    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());

    private final List<Subscription<?>> subscriptions = new CopyOnWriteArrayList<>();

    public <E extends DomainEvent> void subscribe(Class<E> type, Consumer<? super E> listener) {
        subscriptions.add(new Subscription<>(type, listener));
    }

    public void publish(DomainEvent event) {
        for (Subscription<?> subscription : subscriptions) {
            subscription.deliver(event);
        }
    }

    private record Subscription<E extends DomainEvent>(Class<E> type, Consumer<? super E> listener) {
        void deliver(DomainEvent event) {
            if (type.isInstance(event)) {
                try {
                    listener.accept(type.cast(event));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "listener failed for " + event.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
