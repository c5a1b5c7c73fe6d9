package dev.gateway.server.connection;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The opening handshake rules of PROTOCOL section 4 (RFC 6455 4.2.1); the statuses over HTTP are in integration-tests. */
class UpgradeRequestTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void theAcceptValueIsTheOneOfRfc6455() {
        assertThat(UpgradeRequest.acceptFor(KEY), is("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    @Test
    void aValidUpgradeIsAccepted() {
        assertThat(UpgradeRequest.accept(get(), valid()), is("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    @Test
    void theUpgradeTokenMayBeAmongOthersInConnectionInAnyCase() {
        WritableHeaders<?> headers = valid().set(HeaderNames.CONNECTION, "keep-alive, UPGRADE");

        assertThat(UpgradeRequest.accept(get(), headers), is("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    @Test
    void aMethodOtherThanGetIs400() {
        assertStatus(400, prologue(Method.POST), valid());
    }

    @Test
    void connectionWithoutTheUpgradeTokenIs400() {
        assertStatus(400, get(), valid().set(HeaderNames.CONNECTION, "keep-alive"));
        assertStatus(400, get(), without(HeaderNames.CONNECTION.defaultCase()));
    }

    @Test
    void anUpgradeOtherThanWebsocketIs400() {
        assertStatus(400, get(), valid().set(HeaderNames.UPGRADE, "h2c"));
    }

    @Test
    void aMissingVersionIs400() {
        assertStatus(400, get(), without("Sec-WebSocket-Version"));
    }

    @Test
    void anotherVersionIs426NamingVersion13() {
        RequestException refused = assertThrows(RequestException.class,
                                                () -> UpgradeRequest.accept(get(), valid().set(UpgradeRequest.VERSION, "8")));

        assertThat(refused.status(), is(Status.UPGRADE_REQUIRED_426));
        assertThat(refused.responseHeaders().get(UpgradeRequest.VERSION).get(), is("13"));
    }

    @Test
    void aMissingKeyIs400() {
        assertStatus(400, get(), without("Sec-WebSocket-Key"));
    }

    @Test
    void aKeyThatIsNotBase64Is400() {
        assertStatus(400, get(), valid().set(UpgradeRequest.KEY, "!!!!not-base64-at-all!!!"));
    }

    @Test
    void aKeyOfOtherThan16BytesIs400() {
        assertStatus(400, get(), valid().set(UpgradeRequest.KEY, "AAAAAAAAAAAAAAAAAAAAAAAAAAAA")); // 21 bytes
        assertStatus(400, get(), valid().set(UpgradeRequest.KEY, "AAAAAAAAAAAAAAAAAAAAAA")); // 16 bytes, unpadded
        assertStatus(400, get(), valid().set(UpgradeRequest.KEY, "AAAA"));
    }

    private static void assertStatus(int status, HttpPrologue prologue, WritableHeaders<?> headers) {
        RequestException refused = assertThrows(RequestException.class, () -> UpgradeRequest.accept(prologue, headers));

        assertThat(refused.getMessage(), refused.status().code(), is(status));
    }

    private static WritableHeaders<?> valid() {
        return WritableHeaders.create()
                .set(HeaderValues.create(HeaderNames.HOST, "localhost"))
                .set(HeaderNames.CONNECTION, "Upgrade")
                .set(HeaderNames.UPGRADE, "websocket")
                .set(UpgradeRequest.VERSION, "13")
                .set(UpgradeRequest.KEY, KEY);
    }

    private static WritableHeaders<?> without(String name) {
        WritableHeaders<?> headers = valid();
        headers.remove(HeaderNames.create(name));
        return headers;
    }

    private static HttpPrologue get() {
        return prologue(Method.GET);
    }

    private static HttpPrologue prologue(Method method) {
        return HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", method, "/ws", false);
    }
}
