package dev.gateway.server.connection;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import static dev.gateway.server.connection.ClientFrame.BINARY;
import static dev.gateway.server.connection.ClientFrame.CLOSE;
import static dev.gateway.server.connection.ClientFrame.CONTINUATION;
import static dev.gateway.server.connection.ClientFrame.PING;
import static dev.gateway.server.connection.ClientFrame.PONG;
import static dev.gateway.server.connection.ClientFrame.TEXT;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RFC 6455 section 5 for client frames, and the size caps, over bytes in memory (no sockets). */
class FrameReaderTest {
    private static final int MAX_FRAME = 100;
    private static final int MAX_MESSAGE = 200;

    @Test
    void aMaskedTextFrameIsUnmaskedAndDecoded() throws Exception {
        InboundFrame frame = reader(ClientFrame.text("{\"event\":\"presence:ping\"}")).next();

        assertThat(frame, is(new InboundFrame.Text("{\"event\":\"presence:ping\"}", true)));
    }

    @Test
    void framesAlreadyBufferedAreReadOneAfterTheOther() throws Exception {
        FrameReader frames = reader(ClientFrame.text("one"), ClientFrame.text("two"));

        assertThat(frames.next(), is(new InboundFrame.Text("one", true)));
        assertThat(frames.next(), is(new InboundFrame.Text("two", true)));
    }

    @Test
    void aFrameSplitAcrossReadsIsReassembled() throws Exception {
        byte[] bytes = ClientFrame.text("hello, split world").bytes();
        DataReader reader = ClientFrame.reader(List.of(Arrays.copyOfRange(bytes, 0, 1), Arrays.copyOfRange(bytes, 1, 7),
                                                       Arrays.copyOfRange(bytes, 7, bytes.length)));

        assertThat(frameReader(reader).next(), is(new InboundFrame.Text("hello, split world", true)));
    }

    @Test
    void anEmptyTextFrameIsAnEmptyMessage() throws Exception {
        assertThat(reader(ClientFrame.text("")).next(), is(new InboundFrame.Text("", true)));
    }

    @Test
    void fragmentsOfATextMessageArriveInOrder() throws Exception {
        FrameReader frames = reader(ClientFrame.text("ab").notFinal(), ClientFrame.of(CONTINUATION, bytes("cd")).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("ef")));

        assertThat(frames.next(), is(new InboundFrame.Text("ab", false)));
        assertThat(frames.next(), is(new InboundFrame.Text("cd", false)));
        assertThat(frames.next(), is(new InboundFrame.Text("ef", true)));
    }

    @Test
    void aCharacterSplitAcrossTwoFragmentsArrivesWholeInTheSecond() throws Exception {
        byte[] text = "caf\u00e9!".getBytes(StandardCharsets.UTF_8); // c a f C3 A9 !
        FrameReader frames = reader(ClientFrame.of(TEXT, Arrays.copyOfRange(text, 0, 4)).notFinal(),
                                    ClientFrame.of(CONTINUATION, Arrays.copyOfRange(text, 4, text.length)));

        assertThat(frames.next(), is(new InboundFrame.Text("caf", false)));
        assertThat(frames.next(), is(new InboundFrame.Text("\u00e9!", true)));
    }

    @Test
    void aFourByteCharacterSplitOverThreeFragmentsArrivesWholeInTheLast() throws Exception {
        byte[] grin = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        FrameReader frames = reader(ClientFrame.of(TEXT, Arrays.copyOfRange(grin, 0, 1)).notFinal(),
                                    ClientFrame.of(CONTINUATION, Arrays.copyOfRange(grin, 1, 2)).notFinal(),
                                    ClientFrame.of(CONTINUATION, Arrays.copyOfRange(grin, 2, 4)));

        assertThat(frames.next(), is(new InboundFrame.Text("", false)));
        assertThat(frames.next(), is(new InboundFrame.Text("", false)));
        assertThat(frames.next(), is(new InboundFrame.Text("\ud83d\ude00", true)));
    }

    @Test
    void controlFramesMayComeBetweenFragments() throws Exception {
        FrameReader frames = reader(ClientFrame.text("ab").notFinal(), ClientFrame.of(PING, bytes("p")),
                                    ClientFrame.of(CONTINUATION, bytes("cd")));

        assertThat(frames.next(), is(new InboundFrame.Text("ab", false)));
        assertThat(frames.next(), instanceOf(InboundFrame.Ping.class));
        assertThat(frames.next(), is(new InboundFrame.Text("cd", true)));
    }

    @Test
    void binaryFramesArriveAsBytes() throws Exception {
        InboundFrame frame = reader(ClientFrame.of(BINARY, new byte[] {1, 2, 3})).next();

        assertThat(((InboundFrame.Binary) frame).data(), is(new byte[] {1, 2, 3}));
        assertThat(((InboundFrame.Binary) frame).last(), is(true));
    }

    @Test
    void pingAndPongCarryTheirPayload() throws Exception {
        FrameReader frames = reader(ClientFrame.of(PING, bytes("hi")), ClientFrame.of(PONG, bytes("yo")));

        assertThat(((InboundFrame.Ping) frames.next()).payload(), is(bytes("hi")));
        assertThat(((InboundFrame.Pong) frames.next()).payload(), is(bytes("yo")));
    }

    @Test
    void aPingOf125BytesIsAllowed() throws Exception {
        assertThat(reader(ClientFrame.of(PING, new byte[125])).next(), instanceOf(InboundFrame.Ping.class));
    }

    @Test
    void anEmptyPingDoesNotWaitForMoreBytes() throws Exception {
        assertThat(((InboundFrame.Ping) reader(ClientFrame.of(PING, new byte[0])).next()).payload().length, is(0));
    }

    @Test
    void aCloseCarriesItsCodeAndReason() throws Exception {
        assertThat(reader(ClientFrame.close(4001, "bye \u00e9")).next(), is(new InboundFrame.Close(4001, "bye \u00e9")));
    }

    @Test
    void anEmptyCloseStandsFor1005() throws Exception {
        InboundFrame.Close close = (InboundFrame.Close) reader(ClientFrame.of(CLOSE, new byte[0])).next();

        assertThat(close.code(), is(1005));
        assertThat(close.hasCode(), is(false));
    }

    @Test
    void everyValidCloseCodeIsAccepted() throws Exception {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
                                   4999}) {
            assertThat(reader(ClientFrame.close(code, "")).next(), is(new InboundFrame.Close(code, "")));
        }
    }

    @Test
    void invalidCloseCodesAre1002() {
        for (int code : new int[] {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65_535}) {
            assertViolation(1002, ClientFrame.close(code, ""));
        }
    }

    @Test
    void aClosePayloadOfOneByteIs1002() {
        assertViolation(1002, ClientFrame.of(CLOSE, new byte[] {3}));
    }

    @Test
    void aCloseReasonThatIsNotUtf8Is1007() {
        byte[] payload = {0x03, (byte) 0xe8, (byte) 0xc3, 0x28};

        assertViolation(1007, ClientFrame.of(CLOSE, payload));
    }

    @Test
    void invalidUtf8InATextFrameIs1007() {
        assertViolation(1007, ClientFrame.of(TEXT, new byte[] {'a', (byte) 0xc3, 0x28}));
    }

    @Test
    void invalidUtf8InALaterFragmentIs1007() throws Exception {
        FrameReader frames = reader(ClientFrame.text("ok").notFinal(), ClientFrame.of(CONTINUATION, new byte[] {(byte) 0xff}));

        frames.next();
        assertViolation(1007, frames);
    }

    @Test
    void aTextMessageEndingInsideACharacterIs1007() {
        assertViolation(1007, ClientFrame.of(TEXT, new byte[] {'a', (byte) 0xe2, (byte) 0x82}));
    }

    @Test
    void encodedSurrogatesInTextAre1007() {
        assertViolation(1007, ClientFrame.of(TEXT, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    }

    @Test
    void eachReservedBitIs1002() {
        for (int bits : new int[] {1, 2, 4}) {
            assertViolation(1002, ClientFrame.text("x").rsv(bits));
        }
    }

    @Test
    void reservedOpcodesAre1002() {
        for (int opcode : new int[] {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
            assertViolation(1002, ClientFrame.of(opcode, bytes("x")));
        }
    }

    @Test
    void anUnmaskedClientFrameIs1002() {
        assertViolation(1002, ClientFrame.text("x").unmasked());
    }

    @Test
    void aControlFrameOver125BytesIs1002() {
        assertViolation(1002, ClientFrame.of(PING, new byte[126]));
        assertViolation(1002, ClientFrame.of(CLOSE, new byte[126]));
    }

    @Test
    void aFragmentedControlFrameIs1002() {
        assertViolation(1002, ClientFrame.of(PING, bytes("x")).notFinal());
        assertViolation(1002, ClientFrame.close(1000, "").notFinal());
    }

    @Test
    void aDataFrameInsideAFragmentedMessageIs1002() throws Exception {
        FrameReader frames = reader(ClientFrame.text("a").notFinal(), ClientFrame.of(BINARY, bytes("b")));

        frames.next();
        assertViolation(1002, frames);
    }

    @Test
    void aTextFrameInsideAFragmentedMessageIs1002() throws Exception {
        FrameReader frames = reader(ClientFrame.text("a").notFinal(), ClientFrame.text("b"));

        frames.next();
        assertViolation(1002, frames);
    }

    @Test
    void aContinuationWithNoMessageIs1002() {
        assertViolation(1002, ClientFrame.of(CONTINUATION, bytes("x")));
    }

    @Test
    void aContinuationAfterTheFinalFragmentIs1002() throws Exception {
        FrameReader frames = reader(ClientFrame.text("done"), ClientFrame.of(CONTINUATION, bytes("x")));

        frames.next();
        assertViolation(1002, frames);
    }

    @Test
    void aLengthWithTheHighBitSetIs1002() {
        assertViolation(1002, ClientFrame.text("").declaring(Long.MIN_VALUE));
    }

    @Test
    void aFrameOfExactlyTheFrameCapIsAccepted() throws Exception {
        assertThat(reader(ClientFrame.text("x".repeat(MAX_FRAME))).next(), is(new InboundFrame.Text("x".repeat(MAX_FRAME), true)));
    }

    @Test
    void aFrameOverTheFrameCapIs1009BeforeItsPayloadIsRead() {
        assertViolation(1009, ClientFrame.text("").declaring(1L << 40));
        assertViolation(1009, ClientFrame.text("x".repeat(MAX_FRAME + 1)));
    }

    @Test
    void fragmentsSummingToTheMessageCapAreAccepted() throws Exception {
        FrameReader frames = reader(ClientFrame.text("x".repeat(MAX_FRAME)).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("y".repeat(MAX_MESSAGE - MAX_FRAME))));

        frames.next();
        assertThat(frames.next(), is(new InboundFrame.Text("y".repeat(MAX_MESSAGE - MAX_FRAME), true)));
    }

    @Test
    void fragmentsSummingOverTheMessageCapAre1009() throws Exception {
        FrameReader frames = reader(ClientFrame.text("x".repeat(MAX_FRAME)).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("y".repeat(MAX_FRAME))).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("z")));

        frames.next();
        frames.next();
        assertViolation(1009, frames);
    }

    @Test
    void theCapCountsUtf8BytesNotCharacters() {
        assertViolation(1009, ClientFrame.text("\u20ac".repeat(MAX_FRAME / 3 + 1)));
    }

    @Test
    void binaryFragmentsCountAgainstTheMessageCap() throws Exception {
        FrameReader frames = reader(ClientFrame.of(BINARY, new byte[MAX_FRAME]).notFinal(),
                                    ClientFrame.of(CONTINUATION, new byte[MAX_FRAME]).notFinal(),
                                    ClientFrame.of(CONTINUATION, new byte[1]));

        frames.next();
        frames.next();
        assertViolation(1009, frames);
    }

    @Test
    void eachMessageIsCountedFromZero() throws Exception {
        FrameReader frames = reader(ClientFrame.text("x".repeat(MAX_FRAME)).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("y".repeat(MAX_FRAME))),
                                    ClientFrame.text("z".repeat(MAX_FRAME)).notFinal(),
                                    ClientFrame.of(CONTINUATION, bytes("w".repeat(MAX_FRAME))));

        for (int i = 0; i < 4; i++) {
            assertThat(frames.next(), instanceOf(InboundFrame.Text.class));
        }
    }

    @Test
    void afterATooBigFrameItsPayloadIsSkippedAndThePeersCloseIsFound() throws Exception {
        FrameReader frames = reader(ClientFrame.text("x".repeat(MAX_FRAME + 50)), ClientFrame.close(1000, ""));
        assertViolation(1009, frames);

        frames.discard();

        assertThat(frames.next(), instanceOf(InboundFrame.Close.class));
    }

    @Test
    void whileDiscardingDataAndPingsAreSkippedUntilTheClose() throws Exception {
        FrameReader frames = reader(ClientFrame.of(3, bytes("reserved")), ClientFrame.text("a").notFinal(),
                                    ClientFrame.of(PING, bytes("p")), ClientFrame.of(CONTINUATION, bytes("b")),
                                    ClientFrame.close(1000, "bye"));
        assertViolation(1002, frames);

        frames.discard();

        assertThat(frames.next(), instanceOf(InboundFrame.Close.class));
    }

    @Test
    void theEndOfTheStreamIsReportedAsMissingData() {
        FrameReader frames = frameReader(ClientFrame.reader(List.of()));

        assertThrows(DataReader.InsufficientDataAvailableException.class, frames::next);
    }

    @Test
    void aStreamEndingInsideAFrameIsReportedAsMissingData() {
        byte[] bytes = ClientFrame.text("truncated").bytes();
        FrameReader frames = frameReader(ClientFrame.reader(List.of(Arrays.copyOf(bytes, 5))));

        assertThrows(DataReader.InsufficientDataAvailableException.class, frames::next);
    }

    @Test
    void validCloseCodesFollowRfc6455AndTheIanaRegistry() {
        assertThat(FrameReader.isValidCloseCode(1000), is(true));
        assertThat(FrameReader.isValidCloseCode(1014), is(true));
        assertThat(FrameReader.isValidCloseCode(1015), is(false));
        assertThat(FrameReader.isValidCloseCode(2999), is(false));
        assertThat(FrameReader.isValidCloseCode(3000), is(true));
        assertThat(FrameReader.isValidCloseCode(4999), is(true));
        assertThat(FrameReader.isValidCloseCode(5000), is(false));
    }

    private static FrameReader reader(ClientFrame... frames) {
        return frameReader(ClientFrame.reader(frames));
    }

    private static void assertViolation(int code, ClientFrame frame) {
        assertViolation(code, reader(frame));
    }

    private static void assertViolation(int code, FrameReader frames) {
        ProtocolViolation violation = assertThrows(ProtocolViolation.class, frames::next);
        assertThat(violation.getMessage(), violation.closeCode(), is(code));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static FrameReader frameReader(DataReader reader) {
        return new FrameReader(reader, SocketReadBuffer.UNCHANGED, MAX_FRAME, MAX_MESSAGE);
    }
}
