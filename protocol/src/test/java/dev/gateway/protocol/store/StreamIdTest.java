package dev.gateway.protocol.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamIdTest {

    @Test
    void anIdIsReadAsMillisAndSequence() {
        assertThat(StreamId.parse("1718000000000-12"), is(new StreamId(1_718_000_000_000L, 12)));
    }

    @Test
    void idsAreOrderedByMillisThenSequenceNumerically() {
        assertThat(StreamId.parse("10-0").isAfter(StreamId.parse("9-99")), is(true));
        assertThat(StreamId.parse("10-10").isAfter(StreamId.parse("10-9")), is(true));
        assertThat(StreamId.parse("10-9").isAfter(StreamId.parse("10-9")), is(false));
    }

    @Test
    void anIdPrintsAsRedisWritesIt() {
        assertThat(StreamId.parse("1718000000000-3").toString(), is("1718000000000-3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "5", "5-", "-5", "a-1", "1-b", "1-2-3", "99999999999999999999-0", "+", "1 -2"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> StreamId.parse(text));
    }
}
