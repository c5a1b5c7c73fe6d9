package dev.gateway.protocol.store;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

class MessageIdTest {

    @Test
    void aStreamIdIsReadAsItsTwoParts() {
        assertThat(MessageId.parse("1732240000000-7"), is(Optional.of(new MessageId(1732240000000L, 7))));
    }

    @Test
    void theLargestStreamIdIsTwoTimesTwoToThe64MinusOne() {
        assertThat(MessageId.parse("18446744073709551615-18446744073709551615"), is(Optional.of(MessageId.MAX)));
        assertThat(MessageId.MAX.toString(), is("18446744073709551615-18446744073709551615"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551616-0", "0-18446744073709551616", "99999999999999999999-0", "1-", "-1", "1",
                            "1-2-3", "a-1", "1-a", " 1-2", "1-2 ", "+1-2", "1--2", "0x1-2", "", "１-2", "123456789012345678901-0"})
    void anythingElseIsNotAMessageId(String text) {
        assertThat(MessageId.parse(text), is(Optional.empty()));
    }

    @Test
    void leadingZerosAreReadAndWrittenWithout() {
        assertThat(MessageId.parse("0001-00").orElseThrow().toString(), is("1-0"));
    }

    @Test
    void idsCompareAsUnsignedNumbersPartByPart() {
        MessageId small = MessageId.parse("9223372036854775807-0").orElseThrow();
        MessageId beyondSignedLong = MessageId.parse("9223372036854775808-0").orElseThrow();

        assertThat(beyondSignedLong.compareTo(small), is(greaterThan(0)));
        assertThat(MessageId.parse("5-9").orElseThrow().compareTo(MessageId.parse("5-10").orElseThrow()), is(lessThan(0)));
        assertThat(MessageId.MIN.compareTo(MessageId.MAX), is(lessThan(0)));
    }
}
