package dev.gateway.protocol.store;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoomMessageTest {
    private static final String FRAME = "{\"event\":\"chat:message\",\"data\":{\"content\":\"two\\nlines\"}}";

    @Test
    void aMessageToAllEncodesWithAnEmptyHeaderLine() {
        assertThat(RoomMessage.toAll(FRAME).encode(), is("\n" + FRAME));
    }

    @Test
    void aMessageExceptASocketEncodesTheSocketInTheHeader() {
        assertThat(RoomMessage.except("s-1", FRAME).encode(), is("x:s-1\n" + FRAME));
    }

    @Test
    void aMessageToADeviceEncodesTheDeviceInTheHeader() {
        assertThat(RoomMessage.toDevice("phone", FRAME).encode(), is("d:phone\n" + FRAME));
    }

    @Test
    void aMessageToAllSurvivesARoundTrip() {
        RoomMessage decoded = RoomMessage.decode(RoomMessage.toAll(FRAME).encode());

        assertThat(decoded, is(new RoomMessage(Optional.empty(), Optional.empty(), Optional.empty(), FRAME)));
    }

    @Test
    void aMessageExceptASocketSurvivesARoundTrip() {
        RoomMessage decoded = RoomMessage.decode(RoomMessage.except("s-1", FRAME).encode());

        assertThat(decoded, is(new RoomMessage(Optional.of("s-1"), Optional.empty(), Optional.empty(), FRAME)));
    }

    @Test
    void aMessageToADeviceSurvivesARoundTrip() {
        RoomMessage decoded = RoomMessage.decode(RoomMessage.toDevice("phone", FRAME).encode());

        assertThat(decoded, is(new RoomMessage(Optional.empty(), Optional.of("phone"), Optional.empty(), FRAME)));
    }

    @Test
    void aStoredMessageEncodesItsStreamIdInTheHeader() {
        assertThat(RoomMessage.stored("1718000000000-3", FRAME).encode(), is("m:1718000000000-3\n" + FRAME));
    }

    @Test
    void aStoredMessageSurvivesARoundTrip() {
        RoomMessage decoded = RoomMessage.decode(RoomMessage.stored("1718000000000-3", FRAME).encode());

        assertThat(decoded, is(new RoomMessage(Optional.empty(), Optional.empty(), Optional.of("1718000000000-3"), FRAME)));
    }

    @Test
    void aFrameContainingNewlinesIsKeptWhole() {
        String frame = "{\"event\":\"x\"}\nsecond line\n";

        assertThat(RoomMessage.decode(RoomMessage.except("s", frame).encode()).frame(), is(frame));
    }

    @Test
    void aPayloadWithoutHeaderLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RoomMessage.decode(FRAME));
    }

    @Test
    void anUnknownHeaderIsDeliveredToAll() {
        assertThat(RoomMessage.decode("z:what\n" + FRAME), is(RoomMessage.toAll(FRAME)));
    }
}
