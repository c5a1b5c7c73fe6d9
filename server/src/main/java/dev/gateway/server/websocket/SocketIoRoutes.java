package dev.gateway.server.websocket;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.server.connection.PeerAddress;
import dev.gateway.server.connection.QueryParameters;
import dev.gateway.server.socketio.Credentials;
import dev.gateway.server.socketio.EngineIoError;
import dev.gateway.server.socketio.EngineIoServer;
import dev.gateway.server.socketio.EngineIoSession;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The Socket.IO endpoint on Helidon (PROTOCOL section 8) at {@code /socket.io/?EIO=4}: the WebSocket route
 * ({@code transport=websocket}, with {@code sid} to upgrade a polling session) and the HTTP routes of long-polling
 * ({@code transport=polling}: GET takes packets, POST brings them), with CORS for browsers on another origin. It
 * only translates HTTP to the {@link EngineIoServer}, which holds the protocol.
 * <p>
 * Before a session opens, as on {@code /ws}: 403 for an Origin not allowed, 503 while the node cannot take sockets;
 * 400 with Engine.IO's error code for another protocol version, an unknown transport, an unknown {@code sid}, a method
 * other than GET, POST and OPTIONS. A refused WebSocket upgrade falls through to the GET route, which gives the same
 * answer. The token is checked when the CONNECT packet brings it.
 */
public final class SocketIoRoutes {
    /** The path socket.io-client uses by default. */
    public static final String PATH = "/socket.io/";
    private static final Header TEXT = HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
    private static final Header ALLOW = HeaderValues.create(HeaderNames.ALLOW, "GET, POST, OPTIONS");
    /** A GET waits at most this long past the heartbeat (which always answers it sooner) before a noop. */
    private static final long POLL_SLACK_MILLIS = 5000;

    private final EngineIoServer engine;
    private final HandshakeAuthenticator authenticator;
    private final BrowserCors cors;
    private final ObjectMapper mapper;

    public SocketIoRoutes(EngineIoServer engine, HandshakeAuthenticator authenticator, BrowserCors cors, ObjectMapper mapper) {
        this.engine = engine;
        this.authenticator = authenticator;
        this.cors = cors;
        this.mapper = mapper;
    }

    /** Adds the endpoint to the server's WebSocket routing (one routing holds every WebSocket path). */
    public WsRouting.Builder wsRouting(WsRouting.Builder routing) {
        return routing.endpoint(PATH, () -> new WsAdapter(this::upgrade));
    }

    /** Long-polling, preflights, and the answers to refused upgrades and wrong methods. */
    public void httpRouting(HttpRouting.Builder routing) {
        cors.register(routing, PATH);
        routing.get(PATH, this::get)
                .post(PATH, this::post)
                .options(PATH, (req, res) -> res.status(Status.NO_CONTENT_204).header(ALLOW).send())
                .any(PATH, (req, res) -> refuse(res, EngineIoError.BAD_HANDSHAKE_METHOD));
    }

    private Optional<WsHandler> upgrade(HttpPrologue prologue, Headers headers) {
        UriQuery query = prologue.query();
        if (versionError(query).isPresent() || !transport(query).equals("websocket")
            || authenticator.admit(headers).isPresent()) {
            return Optional.empty();
        }
        Optional<String> sid = QueryParameters.first(query, "sid");
        if (sid.isPresent()) {
            return engine.upgrade(sid.get());
        }
        return Optional.of(engine.openWebSocket(new RequestCredentials(authenticator, headers, query)));
    }

    private void get(ServerRequest req, ServerResponse res) throws InterruptedException {
        UriQuery query = req.query();
        Optional<EngineIoError> error = versionError(query);
        if (error.isEmpty() && transport(query).equals("websocket")) {
            // a WebSocket upgrade refused above, or a plain GET that should have been one
            Optional<Handshake.Refused> refused = authenticator.admit(req.headers());
            if (refused.isPresent()) {
                refuse(res, refused.get());
                return;
            }
            error = Optional.of(query.contains("sid") ? EngineIoError.SESSION_ID_UNKNOWN : EngineIoError.BAD_REQUEST);
        } else if (error.isEmpty() && !transport(query).equals("polling")) {
            error = Optional.of(EngineIoError.TRANSPORT_UNKNOWN);
        }
        if (error.isPresent()) {
            refuse(res, error.get());
            return;
        }
        Optional<String> sid = QueryParameters.first(query, "sid");
        if (sid.isEmpty()) {
            Optional<Handshake.Refused> refused = authenticator.admit(req.headers());
            if (refused.isPresent()) {
                refuse(res, refused.get());
                return;
            }
            // the headers (Origin, Authorization, User-Agent) are read again at CONNECT, in a later request
            Credentials credentials = new RequestCredentials(authenticator, WritableHeaders.create(req.headers()), query);
            res.header(TEXT).send(engine.openPolling(credentials, PeerAddress.of(req.remotePeer().address())));
            return;
        }
        Optional<EngineIoSession> session = engine.session(sid.get());
        if (session.isEmpty()) {
            refuse(res, EngineIoError.SESSION_ID_UNKNOWN);
            return;
        }
        Optional<CompletableFuture<String>> poll = session.get().poll();
        if (poll.isEmpty()) {
            refuse(res, EngineIoError.BAD_REQUEST);
            return;
        }
        res.header(TEXT).send(await(session.get(), poll.get()));
    }

    private String await(EngineIoSession session, CompletableFuture<String> poll) throws InterruptedException {
        long wait = engine.settings().pingInterval().toMillis() + engine.settings().pingTimeout().toMillis()
                    + POLL_SLACK_MILLIS;
        try {
            return poll.get(wait, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            session.abandon(poll);
            return poll.getNow("6"); // abandon answered it with a noop, unless it was answered just before
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void post(ServerRequest req, ServerResponse res) throws Exception {
        UriQuery query = req.query();
        Optional<EngineIoError> error = versionError(query);
        if (error.isEmpty() && !transport(query).equals("polling")) {
            error = Optional.of(EngineIoError.TRANSPORT_UNKNOWN);
        } else if (error.isEmpty() && !query.contains("sid")) {
            error = Optional.of(EngineIoError.BAD_HANDSHAKE_METHOD);
        }
        if (error.isPresent()) {
            refuse(res, error.get());
            return;
        }
        Optional<EngineIoSession> session = engine.session(query.get("sid"));
        if (session.isEmpty()) {
            refuse(res, EngineIoError.SESSION_ID_UNKNOWN);
            return;
        }
        if (!session.get().beginPost()) {
            refuse(res, EngineIoError.BAD_REQUEST);
            return;
        }
        int max = engine.settings().maxPayload();
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(max + 1);
        } catch (RuntimeException | java.io.IOException e) {
            session.get().abort(); // the body never arrived whole: the session cannot trust what follows
            throw e;
        }
        if (bytes.length > max) {
            session.get().postTooBig();
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send();
            return;
        }
        if (session.get().post(new String(bytes, StandardCharsets.UTF_8))) {
            res.header(TEXT).send("ok");
        } else {
            refuse(res, EngineIoError.BAD_REQUEST);
        }
    }

    private static Optional<EngineIoError> versionError(UriQuery query) {
        return QueryParameters.first(query, "EIO").filter("4"::equals).isPresent() ? Optional.empty()
                                                                               : Optional.of(EngineIoError.UNSUPPORTED_PROTOCOL_VERSION);
    }

    private static String transport(UriQuery query) {
        return QueryParameters.first(query, "transport").orElse("");
    }

    private void refuse(ServerResponse res, Handshake.Refused refused) {
        authenticator.record(refused);
        res.header(HeaderValues.CONTENT_TYPE_JSON).status(Status.create(refused.status())).send(refused.body());
    }

    /** Engine.IO's own error body ({@code code}, {@code message}) with the gateway's {@code error}, so both kinds of client read it. */
    private void refuse(ServerResponse res, EngineIoError error) {
        String body = "{\"code\":" + error.code() + ",\"error\":\"bad-request\",\"message\":"
                      + mapper.valueToTree(error.message()) + "}";
        res.header(HeaderValues.CONTENT_TYPE_JSON).status(Status.BAD_REQUEST_400).send(body);
    }

    /** The handshake request's headers and query, checked like a native upgrade's when the CONNECT packet comes. */
    private record RequestCredentials(HandshakeAuthenticator authenticator, Headers headers, UriQuery query)
            implements Credentials {
        @Override
        public Optional<Handshake.Refused> admit() {
            return authenticator.admit(headers);
        }

        @Override
        public Handshake authenticate(Optional<String> token) {
            return authenticator.authenticate(headers, query, token);
        }

        @Override
        public Handshake.Refused tooManyConnections(String userId) {
            return authenticator.tooManyConnections(userId);
        }

        @Override
        public void record(Handshake.Refused refused) {
            authenticator.record(refused);
        }
    }
}
