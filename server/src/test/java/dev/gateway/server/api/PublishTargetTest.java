package dev.gateway.server.api;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.store.Rooms;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublishTargetTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static PublishTarget parse(String target) {
        try {
            JsonNode body = MAPPER.readTree("{\"target\":" + target + "}");
            return PublishTarget.parse(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void refused(String field, String target) {
        ApiError error = assertThrows(ApiError.class, () -> parse(target));
        assertThat(error.status().code(), is(400));
        assertThat(target, error.getMessage(), startsWith(field));
    }

    @Test
    void aUserTargetIsTheUsersRoom() {
        assertThat(parse("{\"userId\":\"alice\"}"), is(new PublishTarget(Rooms.user("alice"), Optional.of("alice"), Optional.empty())));
    }

    @Test
    void aDeviceTargetIsTheUsersRoomNarrowedToTheDevice() {
        assertThat(parse("{\"userId\":\"alice\",\"deviceId\":\"phone\"}"),
                   is(new PublishTarget(Rooms.user("alice"), Optional.of("alice"), Optional.of("phone"))));
    }

    @Test
    void roomsNameTheirKindAndAnUnescapedId() {
        assertThat(parse("{\"room\":\"chat:lobby\"}").room(), is(Rooms.chat("lobby")));
        assertThat(parse("{\"room\":\"chat:dm:alice:bob\"}").room(), is(Rooms.chat("dm:alice:bob")));
        assertThat(parse("{\"room\":\"user:google-oauth2:1\"}").room(), is(Rooms.user("google-oauth2:1")));
        assertThat(parse("{\"room\":\"role:admins\"}").room(), is(Rooms.role("admins")));
    }

    @Test
    void aTargetMustNameExactlyOneOfRoomAndUser() {
        refused("target", "null");
        refused("target", "\"alice\"");
        refused("target", "{}");
        refused("target", "{\"room\":\"chat:x\",\"userId\":\"alice\"}");
    }

    @Test
    void badRoomsUsersAndDevicesAreRefusedNamingTheField() {
        refused("target.room", "{\"room\":\"lobby\"}");
        refused("target.room", "{\"room\":\"chat:\"}");
        refused("target.room", "{\"room\":\"team:x\"}");
        refused("target.room", "{\"room\":\"chat:with space\"}");
        refused("target.room", "{\"room\":7}");
        refused("target.userId", "{\"userId\":\"\"}");
        refused("target.userId", "{\"userId\":\"with space\"}");
        refused("target.deviceId", "{\"userId\":\"alice\",\"deviceId\":\"\"}");
        refused("target.deviceId", "{\"room\":\"chat:x\",\"deviceId\":\"phone\"}");
    }
}
