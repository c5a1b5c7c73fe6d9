package dev.gateway.server.client;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MessageAssemblerTest {

    @Test
    void aSingleFinalFragmentIsTheWholeMessage() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100);

        assertThat(assembler.add("{\"event\":\"presence:ping\"}", true), is(Optional.of("{\"event\":\"presence:ping\"}")));
    }

    @Test
    void fragmentsAreJoinedIntoOneMessage() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100);

        assertThat(assembler.add("{\"event\":", false), is(Optional.empty()));
        assertThat(assembler.add("\"presence", false), is(Optional.empty()));
        assertThat(assembler.add(":ping\"}", true), is(Optional.of("{\"event\":\"presence:ping\"}")));
    }

    @Test
    void theNextMessageStartsEmpty() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100);
        assembler.add("first ", false);
        assembler.add("message", true);

        assertThat(assembler.add("second", true), is(Optional.of("second")));
    }

    @Test
    void aMessageOfExactlyTheCapPasses() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);

        assertThat(assembler.add("0123456789", true), is(Optional.of("0123456789")));
    }

    @Test
    void aMessageOneByteOverTheCapIsTooBig() {
        MessageAssembler assembler = new MessageAssembler(10);

        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("0123456789a", true));
    }

    @Test
    void theCapCountsEveryFragmentOfAMessage() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.add("012345", false);

        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("6789a", false));
    }

    @Test
    void theCapCountsUtf8BytesNotCharacters() {
        MessageAssembler assembler = new MessageAssembler(10);

        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("\u20ac\u20ac\u20ac\u20ac", true));
    }

    @Test
    void multiByteCharactersAreCountedAcrossFragments() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assertThat(assembler.add("\u00e9\u00e9\u00e9", false), is(Optional.empty()));
        assertThat(assembler.add("\u00e9\u00e9", true), is(Optional.of("\u00e9\u00e9\u00e9\u00e9\u00e9")));

        assembler.add("\u00e9\u00e9\u00e9", false);

        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("\u00e9\u00e9\u00e9", true));
    }

    @Test
    void aCharacterOutsideTheBasicPlaneCountsFourBytes() throws Exception {
        MessageAssembler assembler = new MessageAssembler(8);
        String grin = "\ud83d\ude00";

        assertThat(assembler.add(grin + grin, true), is(Optional.of(grin + grin)));
        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add(grin + grin + "a", true));
    }

    @Test
    void threeByteCharactersCountThreeBytes() throws Exception {
        MessageAssembler assembler = new MessageAssembler(6);

        assertThat(assembler.add("\u20ac", false), is(Optional.empty()));
        assertThat(assembler.add("\u20ac", true), is(Optional.of("\u20ac\u20ac")));
        assembler.add("\u20ac\u20ac", false);
        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("a", true));
    }

    @Test
    void afterATooBigMessageTheNextMessageIsCountedFromZero() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.add("01234567", false);
        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("89ab", false));

        assertThat(assembler.add("0123456789", true), is(Optional.of("0123456789")));
    }

    @Test
    void afterATooBigMessageNoFragmentOfItIsKept() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.add("garbage", false);
        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.add("garbage", false));

        assertThat(assembler.add("ok", true), is(Optional.of("ok")));
    }

    @Test
    void binaryFragmentsReportTheEndOfTheirMessage() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);

        assertThat(assembler.addBinary(6, false), is(false));
        assertThat(assembler.addBinary(4, true), is(true));
    }

    @Test
    void binaryFragmentsCountAgainstTheCap() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.addBinary(6, false);

        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.addBinary(5, true));
    }

    @Test
    void eachBinaryMessageIsCountedOnItsOwn() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);

        assertThat(assembler.addBinary(10, true), is(true));
        assertThat(assembler.addBinary(10, true), is(true));
    }

    @Test
    void afterATooBigBinaryMessageTheNextMessageIsCountedFromZero() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assertThrows(MessageAssembler.TooBigException.class, () -> assembler.addBinary(11, false));

        assertThat(assembler.add("0123456789", true), is(Optional.of("0123456789")));
    }
}
