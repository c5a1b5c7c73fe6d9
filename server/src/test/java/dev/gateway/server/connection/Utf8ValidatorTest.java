package dev.gateway.server.connection;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class Utf8ValidatorTest {

    @Test
    void asciiIsComplete() {
        assertThat(scan("hello {\"event\":1}"), is(Utf8Validator.COMPLETE));
    }

    @Test
    void charactersOfTwoThreeAndFourBytesAreComplete() {
        assertThat(scan("\u00e9\u20ac\ud83d\ude00\u0800\uffff\udbff\udfff"), is(Utf8Validator.COMPLETE));
    }

    @Test
    void overlongEncodingsAreInvalid() {
        assertThat(scan(0xC0, 0x80), is(Utf8Validator.INVALID));
        assertThat(scan(0xC1, 0xBF), is(Utf8Validator.INVALID));
        assertThat(scan(0xE0, 0x80, 0x80), is(Utf8Validator.INVALID));
        assertThat(scan(0xE0, 0x9F, 0xBF), is(Utf8Validator.INVALID));
        assertThat(scan(0xF0, 0x8F, 0xBF, 0xBF), is(Utf8Validator.INVALID));
    }

    @Test
    void encodedSurrogatesAreInvalid() {
        assertThat(scan(0xED, 0xA0, 0x80), is(Utf8Validator.INVALID));
        assertThat(scan(0xED, 0xBF, 0xBF), is(Utf8Validator.INVALID));
        assertThat(scan(0xED, 0x9F, 0xBF), is(Utf8Validator.COMPLETE)); // U+D7FF, the last before them
    }

    @Test
    void codePointsAboveU10FFFFAreInvalid() {
        assertThat(scan(0xF4, 0x90, 0x80, 0x80), is(Utf8Validator.INVALID));
        assertThat(scan(0xF5, 0x80, 0x80, 0x80), is(Utf8Validator.INVALID));
        assertThat(scan(0xFF), is(Utf8Validator.INVALID));
        assertThat(scan(0xF4, 0x8F, 0xBF, 0xBF), is(Utf8Validator.COMPLETE));
    }

    @Test
    void aLoneContinuationByteIsInvalid() {
        assertThat(scan(0x41, 0x80), is(Utf8Validator.INVALID));
    }

    @Test
    void aLeadByteFollowedByASecondLeadByteIsInvalid() {
        assertThat(scan(0xC3, 0xC3), is(Utf8Validator.INVALID));
    }

    @Test
    void aTruncatedCharacterIsNeitherCompleteNorInvalid() {
        int state = scan(0xF0, 0x9F, 0x98);

        assertThat(state, not(is(Utf8Validator.COMPLETE)));
        assertThat(state, not(is(Utf8Validator.INVALID)));
    }

    @Test
    void aCharacterSplitAcrossTwoScansCompletesInTheSecond() {
        byte[] grin = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);

        int first = Utf8Validator.scan(Utf8Validator.COMPLETE, grin, 0, 1);

        assertThat(Utf8Validator.scan(first, grin, 1, 4), is(Utf8Validator.COMPLETE));
    }

    @Test
    void invalidIsFinal() {
        byte[] ascii = "abc".getBytes(StandardCharsets.US_ASCII);

        assertThat(Utf8Validator.scan(Utf8Validator.INVALID, ascii, 0, 3), is(Utf8Validator.INVALID));
    }

    @Test
    void theIncompleteTailIsTheBytesFromTheLastLeadByte() {
        byte[] bytes = {'a', (byte) 0xE2, (byte) 0x82};

        assertThat(Utf8Validator.incompleteTail(bytes, 3), is(2));
    }

    @Test
    void aTailStartingInAnEarlierFragmentIsCountedWhole() {
        byte[] bytes = {(byte) 0xF0, (byte) 0x9F, (byte) 0x98};

        assertThat(Utf8Validator.incompleteTail(bytes, 3), is(3));
    }

    /** The JDK's decoder, set to report errors, is the reference: same verdict on random near-UTF-8 input. */
    @Test
    void agreesWithTheJdkDecoderOnRandomInput() {
        Random random = new Random(6455);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = randomBytes(random);
            boolean valid = scanAll(bytes) == Utf8Validator.COMPLETE;

            assertThat("bytes " + hex(bytes), valid, is(jdkAccepts(bytes)));
        }
    }

    /** Validation is the same however the bytes are split, as across WebSocket fragments. */
    @Test
    void givesTheSameVerdictAtEverySplitPoint() {
        Random random = new Random(1007);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = randomBytes(random);
            int whole = scanAll(bytes);
            for (int split = 0; split <= bytes.length; split++) {
                int state = Utf8Validator.scan(Utf8Validator.COMPLETE, bytes, 0, split);
                state = Utf8Validator.scan(state, bytes, split, bytes.length);

                assertThat("bytes " + hex(bytes) + " split at " + split, state, is(whole));
            }
        }
    }

    private static byte[] randomBytes(Random random) {
        // mostly bytes that matter to UTF-8: lead bytes, continuations, boundaries of the special ranges
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                             0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        byte[] bytes = new byte[random.nextInt(9)];
        for (int j = 0; j < bytes.length; j++) {
            bytes[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : interesting[random.nextInt(interesting.length)]);
        }
        return bytes;
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static int scanAll(byte[] bytes) {
        return Utf8Validator.scan(Utf8Validator.COMPLETE, bytes, 0, bytes.length);
    }

    private static int scan(String text) {
        return scanAll(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int scan(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return scanAll(bytes);
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x ", b & 0xFF));
        }
        return text.toString().trim();
    }
}
