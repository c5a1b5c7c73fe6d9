package dev.gateway.protocol.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.gateway.protocol.event.FrameCodec.BadFrameException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameCodecTest {
    private final FrameCodec codec = FrameCodec.create();

    @Test
    void aFrameWithDataAndAckDecodesToItsEventDataAndAckId() {
        InboundFrame frame = codec.decode("{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\"},\"ack\":7}");

        assertThat(frame.event(), is("chat:send"));
        assertThat(frame.data().get("chatId").asText(), is("c1"));
        assertThat(frame.data().get("content").asText(), is("hi"));
        assertThat(frame.ack(), is(OptionalLong.of(7)));
    }

    @Test
    void aFrameWithoutDataDecodesToAnEmptyDataObject() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\"}");

        assertThat(frame.data().isObject(), is(true));
        assertThat(frame.data().size(), is(0));
    }

    @Test
    void aFrameWithNullDataDecodesToAnEmptyDataObject() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\",\"data\":null}");

        assertThat(frame.data().isObject(), is(true));
        assertThat(frame.data().size(), is(0));
    }

    @Test
    void aFrameWithoutAckDecodesWithNoAckId() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\",\"data\":{}}");

        assertThat(frame.ack(), is(OptionalLong.empty()));
    }

    @Test
    void aNullAckCountsAsNoAck() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\",\"ack\":null}");

        assertThat(frame.ack(), is(OptionalLong.empty()));
    }

    @Test
    void anAckOfZeroIsKept() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\",\"ack\":0}");

        assertThat(frame.ack(), is(OptionalLong.of(0)));
    }

    @Test
    void fieldsMayComeInAnyOrder() {
        InboundFrame frame = codec.decode("{\"ack\":3,\"data\":{\"chatId\":\"c\"},\"event\":\"chat:join\"}");

        assertThat(frame.event(), is("chat:join"));
        assertThat(frame.ack(), is(OptionalLong.of(3)));
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() {
        InboundFrame frame = codec.decode("{\"event\":\"presence:ping\",\"extra\":[1,2]}");

        assertThat(frame.event(), is("presence:ping"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"event\":", "", "{event:\"a\"}", "{'event':'a'}"})
    void textThatIsNotJsonIsABadFrame(String text) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode(text));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"event\":\"presence:ping\"} trailing", "{\"event\":\"presence:ping\"}{\"event\":\"chat:leave\"}"})
    void aMessageWithContentAfterTheObjectIsABadFrame(String text) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode(text));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"event\":\"presence:ping\"}]", "\"presence:ping\"", "42", "null", "true"})
    void jsonThatIsNotAnObjectIsABadFrame(String text) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode(text));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
    }

    @Test
    void aFrameWithoutEventIsABadFrameThatKeepsTheAckId() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("{\"data\":{},\"ack\":5}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.of(5)));
        assertThat(e.event(), is(Optional.empty()));
    }

    @Test
    void anEmptyEventIsABadFrame() {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("{\"event\":\"\",\"ack\":1}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.of(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "42", "{}", "[\"chat:send\"]", "true"})
    void anEventThatIsNotAStringIsABadFrame(String event) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> codec.decode("{\"event\":" + event + "}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"7\"", "7.5", "7.0", "true", "{}", "[7]", "99999999999999999999999"})
    void anAckThatIsNotAnIntegerIsABadFrameWithoutAckId(String ack) {
        BadFrameException e = assertThrows(BadFrameException.class,
                                           () -> codec.decode("{\"event\":\"presence:ping\",\"ack\":" + ack + "}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.empty()));
    }

    @Test
    void aNegativeAckIsABadFrameWithoutAckId() {
        BadFrameException e = assertThrows(BadFrameException.class,
                                           () -> codec.decode("{\"event\":\"presence:ping\",\"ack\":-1}"));

        assertThat(e.code(), is(ErrorCode.BAD_FRAME));
        assertThat(e.ack(), is(OptionalLong.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "42", "[1,2]", "true"})
    void dataThatIsNotAnObjectIsAValidationErrorThatKeepsTheAckId(String data) {
        BadFrameException e = assertThrows(BadFrameException.class,
                                           () -> codec.decode("{\"event\":\"chat:send\",\"data\":" + data + ",\"ack\":9}"));

        assertThat(e.code(), is(ErrorCode.VALIDATION));
        assertThat(e.ack(), is(OptionalLong.of(9)));
        assertThat(e.getMessage(), is("data must be an object"));
        assertThat(e.event(), is(Optional.of("chat:send"))); // for the event's own failure ack fields
    }

    @Test
    void aServerEventEncodesAsEventThenData() {
        String json = codec.encode(new ServerEvent.ChatTyping("c1", "u1", true));

        assertThat(json, is("{\"event\":\"chat:typing\",\"data\":{\"chatId\":\"c1\",\"userId\":\"u1\",\"isTyping\":true}}"));
    }

    @Test
    void theConnectedEventCarriesEveryFieldOfTheContract() {
        String json = codec.encode(new ServerEvent.Connected("s1", "u1", "node-a", 25_000, 60_000));

        assertThat(json, is("{\"event\":\"connected\",\"data\":{\"socketId\":\"s1\",\"userId\":\"u1\",\"serverId\":\"node-a\","
                                    + "\"heartbeatIntervalMs\":25000,\"presenceTtlMs\":60000}}"));
    }

    @Test
    void aChatMessageEncodesItsFieldsInContractOrder() {
        String json = codec.encode(new ServerEvent.ChatMessage("1-0", "c1", "u1", "hello", "text", "m-1",
                                                               "2025-01-02T03:04:05Z"));

        assertThat(json, is("{\"event\":\"chat:message\",\"data\":{\"id\":\"1-0\",\"chatId\":\"c1\",\"senderId\":\"u1\","
                                    + "\"content\":\"hello\",\"type\":\"text\",\"clientMsgId\":\"m-1\","
                                    + "\"createdAt\":\"2025-01-02T03:04:05Z\"}}"));
    }

    @Test
    void bulkOnlineEncodesTheUsersAsAnArray() {
        String json = codec.encode(new ServerEvent.BulkOnline(List.of("a", "b")));

        assertThat(json, is("{\"event\":\"presence:bulk-online\",\"data\":{\"users\":[\"a\",\"b\"]}}"));
    }

    @Test
    void presenceOfflineCarriesItsReason() {
        String json = codec.encode(new ServerEvent.PresenceOffline("u1", "2025-01-02T03:04:05Z", OfflineReason.EXPIRED));

        assertThat(json, is("{\"event\":\"presence:offline\",\"data\":{\"userId\":\"u1\","
                                    + "\"timestamp\":\"2025-01-02T03:04:05Z\",\"reason\":\"expired\"}}"));
    }

    @Test
    void anEventWithAnyDataObjectEncodesAsEventThenData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("b", 1);
        data.put("a", "x");

        assertThat(codec.encode("custom", data), is("{\"event\":\"custom\",\"data\":{\"b\":1,\"a\":\"x\"}}"));
    }

    @Test
    void aSuccessfulAckEncodesEventAckDataWithSuccessFirst() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "ACCEPTED");
        fields.put("messageId", "1-0");

        String json = codec.ackSuccess(7, fields);

        assertThat(json, is("{\"event\":\"ack\",\"ack\":7,"
                                    + "\"data\":{\"success\":true,\"status\":\"ACCEPTED\",\"messageId\":\"1-0\"}}"));
    }

    @Test
    void aSuccessfulAckWithoutFieldsCarriesOnlySuccess() {
        assertThat(codec.ackSuccess(0, Map.of()), is("{\"event\":\"ack\",\"ack\":0,\"data\":{\"success\":true}}"));
    }

    @Test
    void aFailedAckCarriesAnErrorObjectWithCodeAndMessage() {
        String json = codec.ackFailure(8, ErrorCode.FORBIDDEN, "not a member of chat c1", Map.of());

        assertThat(json, is("{\"event\":\"ack\",\"ack\":8,\"data\":{\"success\":false,"
                                    + "\"error\":{\"code\":\"FORBIDDEN\",\"message\":\"not a member of chat c1\"}}}"));
    }

    @Test
    void aFailedAckKeepsItsExtraFieldsBeforeTheError() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("status", "FAILED");
        extra.put("clientMsgId", "m-1");

        String json = codec.ackFailure(9, ErrorCode.VALIDATION, "content too long", extra);

        assertThat(json, is("{\"event\":\"ack\",\"ack\":9,"
                                    + "\"data\":{\"success\":false,\"status\":\"FAILED\",\"clientMsgId\":\"m-1\","
                                    + "\"error\":{\"code\":\"VALIDATION\",\"message\":\"content too long\"}}}"));
    }

    @Test
    void anErrorEventCarriesCodeAndMessageWithoutAck() {
        String json = codec.error(ErrorCode.BAD_FRAME, "frame is not valid JSON");

        assertThat(json, is("{\"event\":\"error\",\"data\":{\"code\":\"BAD_FRAME\",\"message\":\"frame is not valid JSON\"}}"));
    }

    @Test
    void anEncodedFrameDecodesBackToTheSameEventAndData() {
        String json = codec.encode(new ServerEvent.UserJoined("c1", "u1"));

        InboundFrame frame = codec.decode(json);

        assertThat(frame.event(), is("chat:user-joined"));
        assertThat(frame.data().get("chatId").asText(), is("c1"));
        assertThat(frame.data().get("userId").asText(), is("u1"));
    }
}
