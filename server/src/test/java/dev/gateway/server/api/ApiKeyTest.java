package dev.gateway.server.api;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class ApiKeyTest {
    private static final String KEY = "a-server-api-key-of-at-least-32-bytes";
    private final ApiKey key = new ApiKey(KEY);

    @Test
    void aBearerHeaderWithTheKeyMatches() {
        assertThat(key.matches(Optional.of("Bearer " + KEY)), is(true));
        assertThat(key.matches(Optional.of("bearer " + KEY)), is(true));
        assertThat(key.matches(Optional.of("  Bearer   " + KEY + " ")), is(true));
    }

    @Test
    void anythingElseDoesNot() {
        assertThat(key.matches(Optional.empty()), is(false));
        assertThat(key.matches(Optional.of("")), is(false));
        assertThat(key.matches(Optional.of(KEY)), is(false));
        assertThat(key.matches(Optional.of("Basic " + KEY)), is(false));
        assertThat(key.matches(Optional.of("Bearer")), is(false));
        assertThat(key.matches(Optional.of("Bearer " + KEY + "x")), is(false));
        assertThat(key.matches(Optional.of("Bearer " + KEY.substring(1))), is(false));
        assertThat(key.matches(Optional.of("Bearer " + KEY.toUpperCase(java.util.Locale.ROOT))), is(false));
    }

    @Test
    void itNeverShowsTheKey() {
        assertThat(key.toString(), not(containsString(KEY)));
    }
}
