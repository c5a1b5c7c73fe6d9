package dev.gateway.server.api;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.Disconnection;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.server.chat.ChatService;
import dev.gateway.server.room.RoomPublisher;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

/**
 * The server API for the application's backends (PROTOCOL section 9) under {@code /api/v1/}, and the admin page that
 * uses it (section 11) under {@code /admin}. Every endpoint reads and writes through the stores and services the
 * WebSocket side uses, so it works the same whichever node receives it.
 */
public final class ServerApi {
    private final ApiRoutes routes;
    private final PublishEndpoint publish;
    private final ChatMessagesEndpoint messages;
    private final ChatMembersEndpoint members;
    private final PresenceEndpoint presence;
    private final DirectoryEndpoint directory;
    private final DisconnectEndpoint disconnect;
    private final OpenApiDocument openApi = new OpenApiDocument();
    private final AdminPage admin = new AdminPage();

    /** The stores and services the endpoints use; one instance of each per node, shared with the WebSocket side. */
    public record Parts(RoomPublisher publisher, ChatService chat, ChatStore chats, ConnectionStore connections,
                        NodeStore nodes, PresenceStore presence) {
    }

    /**
     * @param key            the API key
     * @param redisAvailable the node's view of Redis: while false, every endpoint answers 503 at once
     * @param maxFrameBytes  {@code MAX_FRAME_BYTES}: the largest body, and the largest {@code data} to publish
     * @param redisTimeout   {@code REDIS_TIMEOUT_MILLIS}: what bounds a request that has no {@code timeoutMs}
     */
    public ServerApi(String key, Parts parts, BooleanSupplier redisAvailable, ObjectMapper mapper, FrameCodec codec,
                     int maxFrameBytes, Duration redisTimeout, Clock clock) {
        this.routes = new ApiRoutes(new ApiKey(key), redisAvailable, mapper, maxFrameBytes);
        this.publish = new PublishEndpoint(parts.publisher(), codec, mapper, maxFrameBytes);
        this.messages = new ChatMessagesEndpoint(parts.chat(), parts.chats());
        this.members = new ChatMembersEndpoint(parts.chats(), parts.connections(), parts.nodes(), redisTimeout);
        this.presence = new PresenceEndpoint(parts.presence(), parts.connections());
        this.directory = new DirectoryEndpoint(parts.connections(), parts.nodes());
        this.disconnect = new DisconnectEndpoint(new Disconnection(parts.connections(), parts.nodes()), parts.connections(), clock);
    }

    /** Adds the API and the admin page; register before any catch-all route (the demo page's {@code /}). */
    public void httpRouting(HttpRouting.Builder http) {
        openApi.httpRouting(http);
        routes.route(http, Method.POST, "/api/v1/publish", publish::publish);
        routes.route(http, Method.POST, "/api/v1/chats/{chatId}/messages", messages::send);
        routes.route(http, Method.GET, "/api/v1/chats/{chatId}/messages", messages::history);
        routes.route(http, Method.PUT, "/api/v1/chats/{chatId}/members/{userId}", members::add);
        routes.route(http, Method.DELETE, "/api/v1/chats/{chatId}/members/{userId}", members::remove);
        routes.route(http, Method.GET, "/api/v1/users/{userId}/presence", presence::user);
        routes.route(http, Method.POST, "/api/v1/presence/query", presence::query);
        routes.route(http, Method.GET, "/api/v1/presence/online", presence::online);
        routes.route(http, Method.GET, "/api/v1/connections", directory::connections);
        routes.route(http, Method.GET, "/api/v1/nodes", directory::nodes);
        routes.route(http, Method.POST, "/api/v1/disconnect", disconnect::disconnect);
        routes.fallback(http, "/api/v1", "/api/v1/*");
        admin.httpRouting(http);
    }

    /**
     * Where the API is not served (no key configured, or this is {@code PORT} while {@code API_PORT} is set): 404
     * {@code not_found} for its paths and the admin page's, before any catch-all route could answer them.
     */
    public static void notServed(HttpRouting.Builder http) {
        for (String path : new String[] {"/api/v1", "/api/v1/*", "/admin", "/admin/*"}) {
            http.any(path, (req, res) -> res.status(Status.NOT_FOUND_404)
                    .header(HeaderValues.CONTENT_TYPE_JSON).send("{\"error\":\"not_found\"}"));
        }
    }
}
