package dev.gateway.server.connection;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * The client's address as the connection records store it ({@code ipAddress}, PROTOCOL section 6): the IP address
 * without the port.
 * <p>
 * The upgrader hands it to the endpoint inside the upgrade's headers, under {@link #HEADER}, because Helidon's
 * {@code onHttpUpgrade} receives nothing else; the endpoint registers the socket there, so the record is complete in
 * one Redis round trip. The upgrader sets the header on its own copy of the headers, replacing whatever a client may
 * have sent under that name.
 */
public final class PeerAddress {
    /** The header the upgrader sets on the copy of the request headers that the listener receives. */
    public static final HeaderName HEADER = HeaderNames.create("Gateway-Peer-Address");

    private PeerAddress() {
    }

    public static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
