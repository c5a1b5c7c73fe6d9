package dev.gateway.it.chat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.sendAccepted;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, "Caps" (version 2): a message id in client input ({@code beforeId}, {@code sinceId},
 * {@code messageId}) that is not a valid stream id for its field is the client's mistake: {@code VALIDATION} naming
 * the field, never {@code INTERNAL} (which means the server failed), and the socket stays open.
 */
class StreamIdValidationTest {
    private static final String CHAT = "ids";
    private static final String TWO_TO_THE_64 = "18446744073709551616";
    private static final String LARGEST = "18446744073709551615-18446744073709551615";

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("stream-ids");

    private static GatewayProcess node;
    private WsClient alice;
    private String stored;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("stream-ids");
    }

    @BeforeEach
    void joinAndStoreAMessage() {
        alice = CLUSTER.connect(node, "alice");
        join(alice, CHAT);
        stored = sendAccepted(alice, CHAT, "hello", "m-1");
    }

    @Test
    void historyBeforeTheSmallestIdIsAValidationErrorNamingBeforeId() {
        assertValidation(alice.request("chat:history", Map.of("chatId", CHAT, "beforeId", "0-0")), "beforeId");
    }

    @ParameterizedTest
    @ValueSource(strings = {TWO_TO_THE_64 + "-0", "0-" + TWO_TO_THE_64, "99999999999999999999-1", "1-2-3", "abc", "-1", "1-",
                            "1.5-0", "+1-0"})
    void historyBeforeAnIdThatIsNotAStreamIdIsAValidationErrorNamingBeforeId(String beforeId) {
        assertValidation(alice.request("chat:history", Map.of("chatId", CHAT, "beforeId", beforeId)), "beforeId");
    }

    @Test
    void joinSinceAnIdOfTwoToThe64IsAValidationErrorNamingSinceId() {
        assertValidation(alice.request("chat:join", Map.of("chatId", "other", "sinceId", TWO_TO_THE_64 + "-0")), "sinceId");
    }

    @Test
    void joinSinceTheLargestIdIsAValidationErrorNamingSinceId() {
        assertValidation(alice.request("chat:join", Map.of("chatId", "other", "sinceId", LARGEST)), "sinceId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-" + TWO_TO_THE_64, "x-1", "1-2-3", "", " 1-0"})
    void joinSinceAnIdThatIsNotAStreamIdIsAValidationErrorNamingSinceId(String sinceId) {
        assertValidation(alice.request("chat:join", Map.of("chatId", "other", "sinceId", sinceId)), "sinceId");
    }

    @ParameterizedTest
    @ValueSource(strings = {TWO_TO_THE_64 + "-0", "0-" + TWO_TO_THE_64, "1-2-3", "latest"})
    void readWithAMessageIdThatIsNotAStreamIdIsAValidationErrorNamingMessageId(String messageId) {
        assertValidation(alice.request("chat:read", Map.of("chatId", CHAT, "messageId", messageId)), "messageId");
    }

    @Test
    void idsBeyondTheSignedLongRangeButBelowTwoToThe64AreAccepted() {
        JsonNode history = alice.request("chat:history", Map.of("chatId", CHAT, "beforeId", "9223372036854775808-0"));
        JsonNode joined = alice.request("chat:join", Map.of("chatId", CHAT, "sinceId", "9223372036854775808-0"));

        assertThat(history.toString(), history.path("success").asBoolean(), is(true));
        assertThat(history.toString(), history.path("messages").get(0).path("id").asText(), is(stored));
        assertThat(joined.toString(), joined.path("success").asBoolean(), is(true));
        assertThat(joined.toString(), joined.path("missed").size(), is(0));
    }

    @Test
    void joinSinceTheSmallestIdRecoversEveryMessage() {
        JsonNode joined = alice.request("chat:join", Map.of("chatId", CHAT, "sinceId", "0-0"));

        assertThat(joined.toString(), joined.path("missed").get(0).path("id").asText(), is(stored));
    }

    private void assertValidation(JsonNode ack, String field) {
        assertThat(ack.toString(), ack.path("success").asBoolean(), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("VALIDATION"));
        assertThat(ack.toString(), ack.path("error").path("message").asText(), containsString(field));
        assertThat(alice.ping().path("success").asBoolean(), is(true));
    }
}
