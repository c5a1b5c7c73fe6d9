package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestException;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRoute;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;

/**
 * Upgrades an HTTP/1.1 request to a {@link WebSocketConnection}, in place of Helidon's {@code WsUpgrader}, for the
 * routes of the server's {@link WsRouting}:
 * <ol>
 *   <li>no WebSocket route at the path: not ours, the request goes on to HTTP routing;</li>
 *   <li>the handshake is checked strictly ({@link UpgradeRequest}: 400, or 426 for another version), then the
 *       {@link WsConfig#origins()} when configured (403), as Helidon does;</li>
 *   <li>the route's listener decides in {@link WsListener#onHttpUpgrade}: a {@link WsUpgradeException} sends the
 *       request on to the HTTP route at the same path, which answers the refusal (401 / 403 / 503 with the
 *       contract's JSON);</li>
 *   <li>101, and the connection is ours from the next byte on.</li>
 * </ol>
 */
final class WebSocketUpgrader implements Http1Upgrader {
    private static final byte[] SWITCHING_PROTOCOLS = ("HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};

    private final Set<String> origins;
    private final int maxFrameBytes;
    private final int maxMessageBytes;
    private final ScheduledExecutorService scheduler;

    /**
     * @param config          Helidon's WebSocket protocol settings: allowed origins, largest frame
     *                        ({@code max-frame-length})
     * @param maxMessageBytes largest message however it is fragmented ({@code MAX_FRAME_BYTES})
     * @param scheduler       drops connections whose peer does not answer a close in time
     */
    WebSocketUpgrader(WsConfig config, int maxMessageBytes, ScheduledExecutorService scheduler) {
        this.origins = Set.copyOf(config.origins());
        this.maxFrameBytes = config.maxFrameLength();
        this.maxMessageBytes = maxMessageBytes;
        this.scheduler = scheduler;
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        WsRoute route;
        try {
            route = ctx.router().routing(WsRouting.class, WsRouting.empty()).findRoute(prologue);
        } catch (NotFoundException e) {
            return null;
        }
        String accept = UpgradeRequest.accept(prologue, headers);
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (!origins.isEmpty() && origin.isPresent() && !origins.contains(origin.get())) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.FORBIDDEN)
                    .message("origin not allowed")
                    .setKeepAlive(false)
                    .build();
        }
        WsListener listener = route.listener();
        Optional<Headers> responseHeaders;
        try {
            // a copy: the listener keeps it only if it wants the headers later (Socket.IO, for its CONNECT packet)
            WritableHeaders<?> upgradeHeaders = WritableHeaders.create(headers);
            upgradeHeaders.set(PeerAddress.HEADER, PeerAddress.of(ctx.remotePeer().address()));
            responseHeaders = listener.onHttpUpgrade(prologue, upgradeHeaders);
        } catch (WsUpgradeException e) {
            return null;
        }

        BufferData response = BufferData.growing(256);
        response.write(SWITCHING_PROTOCOLS);
        response.write(accept.getBytes(StandardCharsets.US_ASCII));
        response.write(CRLF);
        responseHeaders.ifPresent(extra -> extra.forEach(header -> header.writeHttp1Header(response)));
        response.write(CRLF);
        ctx.dataWriter().writeNow(response);
        // Helidon's request loop keeps these headers in its (parked) frame for the life of the connection, and
        // through them the bytes of the request: nothing of the upgrade needs to stay
        headers.clear();

        String subProtocol = responseHeaders.flatMap(extra -> extra.first(UpgradeRequest.PROTOCOL)).orElse(null);
        FrameReader frames = new FrameReader(ctx.dataReader(), SocketReadBuffer.of(ctx.serverSocket()), maxFrameBytes,
                                             maxMessageBytes);
        return new WebSocketConnection(ctx, listener, frames, scheduler, subProtocol);
    }
}
