package dev.gateway.server.client;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The size cap across fragments is the connection's ({@code FrameReaderTest}); the assembler only joins. */
class MessageAssemblerTest {

    @Test
    void aSingleFinalFragmentIsTheWholeMessage() {
        MessageAssembler assembler = new MessageAssembler();

        assertThat(assembler.add("{\"event\":\"presence:ping\"}", true), is(Optional.of("{\"event\":\"presence:ping\"}")));
    }

    @Test
    void fragmentsAreJoinedIntoOneMessage() {
        MessageAssembler assembler = new MessageAssembler();

        assertThat(assembler.add("{\"event\":", false), is(Optional.empty()));
        assertThat(assembler.add("\"presence", false), is(Optional.empty()));
        assertThat(assembler.add(":ping\"}", true), is(Optional.of("{\"event\":\"presence:ping\"}")));
    }

    @Test
    void theNextMessageStartsEmpty() {
        MessageAssembler assembler = new MessageAssembler();
        assembler.add("first ", false);
        assembler.add("message", true);

        assertThat(assembler.add("second", true), is(Optional.of("second")));
    }

    @Test
    void emptyFragmentsJoinLikeAnyOther() {
        MessageAssembler assembler = new MessageAssembler();

        assertThat(assembler.add("", false), is(Optional.empty()));
        assertThat(assembler.add("\u00e9", false), is(Optional.empty()));
        assertThat(assembler.add("", true), is(Optional.of("\u00e9")));
    }
}
