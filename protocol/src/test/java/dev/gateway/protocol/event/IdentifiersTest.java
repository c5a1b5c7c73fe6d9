package dev.gateway.protocol.event;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class IdentifiersTest {
    @Test
    void acceptsEveryCharacterOfTheRuleUpToTheLongestId() {
        assertThat(Identifiers.isValid("user-1.a_b:c@d"), is(true));
        assertThat(Identifiers.isValid("a".repeat(Identifiers.MAX_LENGTH)), is(true));
    }

    @Test
    void refusesEmptyTooLongOtherCharactersAndNull() {
        assertThat(Identifiers.isValid(""), is(false));
        assertThat(Identifiers.isValid("a".repeat(Identifiers.MAX_LENGTH + 1)), is(false));
        assertThat(Identifiers.isValid("user 1"), is(false));
        assertThat(Identifiers.isValid("user/1"), is(false));
        assertThat(Identifiers.isValid("üser"), is(false));
        assertThat(Identifiers.isValid(null), is(false));
    }

    @Test
    void wordsTheRuleForErrorMessages() {
        assertThat(Identifiers.RULE, is("1..128 characters of [A-Za-z0-9._:@-]"));
    }
}
