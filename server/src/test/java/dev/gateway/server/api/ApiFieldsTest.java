package dev.gateway.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiFieldsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void refused(String field, Supplier<?> rule) {
        ApiError error = assertThrows(ApiError.class, rule::get);
        assertThat(error.status().code(), is(400));
        assertThat(error.body().get("error"), is("validation"));
        assertThat(error.getMessage(), startsWith(field));
    }

    @Test
    void eventNamesOfUpTo64AllowedCharactersPass() {
        assertThat(ApiFields.event(json("{\"event\":\"notice\"}")), is("notice"));
        assertThat(ApiFields.event(json("{\"event\":\"a.b_c:d-E9\"}")), is("a.b_c:d-E9"));
        assertThat(ApiFields.event(json("{\"event\":\"" + "e".repeat(64) + "\"}")), is("e".repeat(64)));
    }

    @Test
    void eventNamesThatAreMissingTooLongOddOrTheProtocolsOwnAreRefused() {
        refused("event", () -> ApiFields.event(json("{}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":7}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"" + "e".repeat(65) + "\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"with space\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"a/b\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"ack\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"error\"}")));
        refused("event", () -> ApiFields.event(json("{\"event\":\"connected\"}")));
    }

    @Test
    void idsFollowTheRulesOfTheWebSocketProtocol() {
        assertThat(ApiFields.id("chatId", "dm:alice:bob"), is("dm:alice:bob"));
        assertThat(ApiFields.id("userId", "google-oauth2@x.y"), is("google-oauth2@x.y"));
        refused("chatId", () -> ApiFields.id("chatId", ""));
        refused("chatId", () -> ApiFields.id("chatId", null));
        refused("chatId", () -> ApiFields.id("chatId", "a b"));
        refused("userId", () -> ApiFields.id("userId", "u".repeat(129)));
        refused("senderId", () -> ApiFields.id(json("{}"), "senderId"));
    }

    @Test
    void userIdsHoldOneToAThousandIds() {
        List<String> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add("u" + i);
        }
        assertThat(ApiFields.userIds(MAPPER.valueToTree(java.util.Map.of("userIds", thousand))).size(), is(1000));
        thousand.add("one-more");
        refused("userIds", () -> ApiFields.userIds(MAPPER.valueToTree(java.util.Map.of("userIds", thousand))));
        refused("userIds", () -> ApiFields.userIds(json("{\"userIds\":[]}")));
        refused("userIds", () -> ApiFields.userIds(json("{\"userIds\":\"u1\"}")));
        refused("userIds", () -> ApiFields.userIds(json("{\"userIds\":[\"ok\", \"not ok\"]}")));
        refused("userIds", () -> ApiFields.userIds(json("{}")));
    }

    @Test
    void historyLimitsDefaultTo50AreCappedAt100AndMustBePositiveIntegers() {
        assertThat(ApiFields.limit(Optional.empty(), 50, 100), is(50));
        assertThat(ApiFields.limit(Optional.of("7"), 50, 100), is(7));
        assertThat(ApiFields.limit(Optional.of("5000"), 50, 100), is(100));
        refused("limit", () -> ApiFields.limit(Optional.of("0"), 50, 100));
        refused("limit", () -> ApiFields.limit(Optional.of("-3"), 50, 100));
        refused("limit", () -> ApiFields.limit(Optional.of("ten"), 50, 100));
    }

    @Test
    void beforeIdIsAMessageIdAboveTheSmallest() {
        assertThat(ApiFields.beforeId(Optional.of("1732240000000-3")), is(Optional.of("1732240000000-3")));
        assertThat(ApiFields.beforeId(Optional.empty()), is(Optional.empty()));
        refused("beforeId", () -> ApiFields.beforeId(Optional.of("0-0")));
        refused("beforeId", () -> ApiFields.beforeId(Optional.of("yesterday")));
        refused("beforeId", () -> ApiFields.beforeId(Optional.of("99999999999999999999999-0")));
    }

    @Test
    void timeoutMsDefaultsTo5000AndStaysWithinAMinute() {
        assertThat(ApiFields.timeoutMs(json("{}")), is(5000L));
        assertThat(ApiFields.timeoutMs(json("{\"timeoutMs\":0}")), is(0L));
        assertThat(ApiFields.timeoutMs(json("{\"timeoutMs\":60000}")), is(60000L));
        refused("timeoutMs", () -> ApiFields.timeoutMs(json("{\"timeoutMs\":60001}")));
        refused("timeoutMs", () -> ApiFields.timeoutMs(json("{\"timeoutMs\":-1}")));
        refused("timeoutMs", () -> ApiFields.timeoutMs(json("{\"timeoutMs\":1.5}")));
        refused("timeoutMs", () -> ApiFields.timeoutMs(json("{\"timeoutMs\":\"5s\"}")));
    }
}
