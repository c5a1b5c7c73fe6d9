package dev.gateway.it.ctl;

import java.util.List;

import dev.gateway.it.support.GatewayRecords;
import dev.gateway.testsupport.TestRedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Assertions on the Redis records of one socket (PROTOCOL section 6), read with the contract's key names. */
final class Sockets {
    private Sockets() {
    }

    /** Not a trace of the socket is left: its connection record, and its id in every set and hash that names it. */
    static void assertGone(TestRedis redis, Population.Socket socket) {
        GatewayRecords records = GatewayRecords.of(redis);
        String id = socket.socketId();
        String what = socket.userId() + "@" + socket.deviceId() + " " + id;
        assertThat(what + ": ws:connection", records.connection(id).isPresent(), is(false));
        assertThat(what + ": ws:user:*:connections", records.userSockets(socket.userId()), not(hasItem(id)));
        assertThat(what + ": device set", records.deviceSockets(socket.userId(), socket.deviceId()), not(hasItem(id)));
        assertThat(what + ": presence:user", records.presence(socket.userId()), not(hasKey(id)));
        assertThat(what + ": ws:node:*:connections", records.nodeSockets(socket.nodeId()), not(hasItem(id)));
    }

    static void assertGone(TestRedis redis, List<Population.Socket> sockets) {
        sockets.forEach(socket -> assertGone(redis, socket));
    }

    /** The socket is registered everywhere the contract puts it. */
    static void assertPresent(TestRedis redis, Population.Socket socket) {
        GatewayRecords records = GatewayRecords.of(redis);
        String id = socket.socketId();
        String what = socket.userId() + "@" + socket.deviceId() + " " + id;
        assertThat(what + ": ws:connection", records.connection(id).isPresent(), is(true));
        assertThat(what + ": ws:user:*:connections", records.userSockets(socket.userId()), hasItem(id));
        assertThat(what + ": device set", records.deviceSockets(socket.userId(), socket.deviceId()), hasItem(id));
        assertThat(what + ": presence:user", records.presence(socket.userId()), hasKey(id));
        assertThat(what + ": ws:node:*:connections", records.nodeSockets(socket.nodeId()), hasItem(id));
    }
}
