package dev.gateway.server.connection;

import java.util.Optional;

import io.helidon.common.uri.UriQuery;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class QueryParametersTest {
    private final UriQuery query = UriQuery.create("deviceId=phone&deviceId=tablet&name=%20Pixel%208%20&blank=%20&empty=");

    @Test
    void theFirstValueOfARepeatedParameterIsTaken() {
        assertThat(QueryParameters.first(query, "deviceId"), is(Optional.of("phone")));
    }

    @Test
    void anAbsentParameterIsEmpty() {
        assertThat(QueryParameters.first(query, "access_token"), is(Optional.empty()));
        assertThat(QueryParameters.trimmed(query, "access_token"), is(Optional.empty()));
    }

    @Test
    void trimmedDecodesAndTrimsAndTreatsABlankValueAsAbsent() {
        assertThat(QueryParameters.trimmed(query, "name"), is(Optional.of("Pixel 8")));
        assertThat(QueryParameters.trimmed(query, "blank"), is(Optional.empty()));
        assertThat(QueryParameters.trimmed(query, "empty"), is(Optional.empty()));
        assertThat(QueryParameters.first(query, "empty"), is(Optional.of("")));
    }
}
