package dev.gateway.server.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.server.auth.AuthenticationException.Reason;
import dev.gateway.server.config.GatewaySettings.JwtSettings;
import dev.gateway.server.config.StartupException;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkRSA;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.gateway.server.auth.Tokens.claims;
import static dev.gateway.server.auth.Tokens.hmac;
import static dev.gateway.server.auth.Tokens.hs256Raw;
import static dev.gateway.server.auth.Tokens.utf8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JwtTokenVerifierTest {
    private static final String SECRET = "a-test-secret-of-more-than-32-bytes!";
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long SKEW = 5;

    private static KeyPair rsa;
    private static KeyPair otherRsa;

    private final JwtTokenVerifier verifier = hmacVerifier(Optional.empty(), Optional.empty());

    @TempDir
    Path dir;

    @BeforeAll
    static void generateKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        otherRsa = generator.generateKeyPair();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void aTokenSignedWithTheSecretIsAccepted(String alg) throws Exception {
        Principal principal = verifier.verify(hmac(alg, utf8(SECRET), claims("alice", NOW)), SKEW);

        assertThat(principal.userId(), is("alice"));
        assertThat(principal.expiresAt(), is(NOW.plusSeconds(3600)));
    }

    @Test
    void theRoleContextAndDeviceClaimsAreRead() throws Exception {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("roleContextId", "team-7");
        claims.put("deviceId", "phone");

        Principal principal = verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW);

        assertThat(principal.roleContextId(), is(Optional.of("team-7")));
        assertThat(principal.deviceId(), is(Optional.of("phone")));
    }

    @Test
    void optionalClaimsThatAreNotStringsAreIgnored() throws Exception {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("roleContextId", 7);
        claims.put("deviceId", "");

        Principal principal = verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW);

        assertThat(principal.roleContextId(), is(Optional.empty()));
        assertThat(principal.deviceId(), is(Optional.empty()));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String token = hmac("HS256", utf8("another-secret-of-more-than-32-bytes"), claims("alice", NOW));

        assertThat(refusal(verifier, token), is(Reason.SIGNATURE));
    }

    @Test
    void aTokenWhosePayloadWasChangedIsRefused() {
        String token = hmac("HS256", utf8(SECRET), claims("alice", NOW));
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"sub\":\"admin\",\"exp\":" + NOW.plusSeconds(3600).getEpochSecond() + "}")
                                        .getBytes(StandardCharsets.UTF_8));
        String[] parts = token.split("\\.");

        assertThat(refusal(verifier, parts[0] + "." + forgedPayload + "." + parts[2]), is(Reason.SIGNATURE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void anUnsignedTokenIsRefused(String alg) {
        assertThat(refusal(verifier, Tokens.unsigned(alg, claims("alice", NOW))), is(Reason.ALGORITHM));
    }

    @Test
    void anUnsignedTokenCarryingTheSignatureOfASignedOneIsRefused() {
        String signed = hmac("HS256", utf8(SECRET), claims("alice", NOW));
        String unsigned = Tokens.unsigned("none", claims("alice", NOW));

        assertThat(refusal(verifier, unsigned + signed.substring(signed.lastIndexOf('.') + 1)), is(Reason.ALGORITHM));
    }

    @Test
    void aTokenWithoutExpIsRefused() {
        Map<String, Object> claims = claims("alice", NOW);
        claims.remove("exp");

        AuthenticationException e = assertThrows(AuthenticationException.class,
                                                 () -> verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW));

        assertThat(e.reason(), is(Reason.CLAIMS));
        assertThat(e.getMessage(), is("token has no exp claim"));
    }

    @Test
    void aTokenExpiredBeyondTheSkewIsRefused() {
        Map<String, Object> claims = claims("alice", NOW.minusSeconds(3600));
        claims.put("exp", NOW.minusSeconds(6).getEpochSecond());

        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims)), is(Reason.EXPIRED));
    }

    @Test
    void aTokenExpiredWithinTheSkewIsAccepted() throws Exception {
        Map<String, Object> claims = claims("alice", NOW.minusSeconds(3600));
        claims.put("exp", NOW.minusSeconds(4).getEpochSecond());

        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW).userId(), is("alice"));
    }

    @Test
    void withoutSkewATokenExpiredASecondAgoIsRefused() {
        Map<String, Object> claims = claims("alice", NOW.minusSeconds(3600));
        claims.put("exp", NOW.minusSeconds(1).getEpochSecond());

        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims), 0), is(Reason.EXPIRED));
    }

    @Test
    void aTokenNotValidBeforeAFutureTimeIsRefused() {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("nbf", NOW.plusSeconds(60).getEpochSecond());

        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims)), is(Reason.NOT_YET_VALID));
    }

    @Test
    void aTokenValidFromWithinTheSkewIsAccepted() throws Exception {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("nbf", NOW.plusSeconds(4).getEpochSecond());

        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW).userId(), is("alice"));
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("iat", NOW.plusSeconds(60).getEpochSecond());

        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims)), is(Reason.NOT_YET_VALID));
    }

    @Test
    void aTokenIssuedWithinTheSkewIsAccepted() throws Exception {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("iat", NOW.plusSeconds(4).getEpochSecond());

        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW).userId(), is("alice"));
    }

    @Test
    void aTokenLargerThan8KiBIsRefused() {
        String token = tokenOfLength(8193);

        assertThat(refusal(verifier, token), is(Reason.TOO_LARGE));
    }

    @Test
    void aValidTokenOfExactly8KiBIsAccepted() throws Exception {
        String token = tokenOfLength(8192);

        assertThat(verifier.verify(token, SKEW).userId(), is("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "not-a-jwt", "a.b", "a.b.c.d", "!!!.???.***"})
    void somethingThatIsNotASignedTokenIsRefused(String token) {
        assertThrows(AuthenticationException.class, () -> verifier.verify(token, SKEW));
    }

    @Test
    void aMissingTokenIsRefusedAsMissing() {
        assertThat(refusal(verifier, null), is(Reason.MISSING));
    }

    @Test
    void theIssuerIsEnforcedWhenConfigured() throws Exception {
        JwtTokenVerifier strict = hmacVerifier(Optional.of("https://auth.example"), Optional.empty());
        Map<String, Object> right = claims("alice", NOW);
        right.put("iss", "https://auth.example");
        Map<String, Object> wrong = claims("alice", NOW);
        wrong.put("iss", "https://evil.example");

        assertThat(strict.verify(hmac("HS256", utf8(SECRET), right), SKEW).userId(), is("alice"));
        assertThat(refusal(strict, hmac("HS256", utf8(SECRET), wrong)), is(Reason.CLAIMS));
        assertThat(refusal(strict, hmac("HS256", utf8(SECRET), claims("alice", NOW))), is(Reason.CLAIMS));
    }

    @Test
    void theAudienceIsEnforcedWhenConfigured() throws Exception {
        JwtTokenVerifier strict = hmacVerifier(Optional.empty(), Optional.of("gateway"));
        Map<String, Object> listed = claims("alice", NOW);
        listed.put("aud", List.of("billing", "gateway"));
        Map<String, Object> single = claims("alice", NOW);
        single.put("aud", "gateway");
        Map<String, Object> other = claims("alice", NOW);
        other.put("aud", List.of("billing"));

        assertThat(strict.verify(hmac("HS256", utf8(SECRET), listed), SKEW).userId(), is("alice"));
        assertThat(strict.verify(hmac("HS256", utf8(SECRET), single), SKEW).userId(), is("alice"));
        assertThat(refusal(strict, hmac("HS256", utf8(SECRET), other)), is(Reason.CLAIMS));
        assertThat(refusal(strict, hmac("HS256", utf8(SECRET), claims("alice", NOW))), is(Reason.CLAIMS));
    }

    @Test
    void issuerAndAudienceAreIgnoredWhenNotConfigured() throws Exception {
        Map<String, Object> claims = claims("alice", NOW);
        claims.put("iss", "anyone");
        claims.put("aud", "anything");

        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims), SKEW).userId(), is("alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a", "user.name_1:team@example-org", "0"})
    void aSubjectOfAllowedCharactersIsAccepted(String sub) throws Exception {
        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims(sub, NOW)), SKEW).userId(), is(sub));
    }

    @Test
    void aSubjectOf128CharactersIsAccepted() throws Exception {
        String sub = "u".repeat(128);

        assertThat(verifier.verify(hmac("HS256", utf8(SECRET), claims(sub, NOW)), SKEW).userId(), is(sub));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice smith", "alice/admin", "al\u00efce", "alice\n", "a*", "{x}"})
    void aSubjectWithOtherCharactersIsRefused(String sub) {
        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims(sub, NOW))), is(Reason.CLAIMS));
    }

    @Test
    void aSubjectOf129CharactersIsRefused() {
        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims("u".repeat(129), NOW))), is(Reason.CLAIMS));
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        Map<String, Object> claims = claims("alice", NOW);
        claims.remove("sub");

        assertThat(refusal(verifier, hmac("HS256", utf8(SECRET), claims)), is(Reason.CLAIMS));
    }

    @Test
    void anRs256TokenSignedWithAKeyOfTheJwksIsAccepted() throws Exception {
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());

        Principal principal = jwks.verify(rs256(rsa, "k1", "alice"), SKEW);

        assertThat(principal.userId(), is("alice"));
        assertThat(principal.expiresAt(), is(NOW.plusSeconds(3600)));
    }

    @Test
    void anRs256TokenSignedWithAnotherKeyIsRefused() {
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());

        assertThat(refusal(jwks, rs256(otherRsa, "k1", "alice")), is(Reason.SIGNATURE));
    }

    @Test
    void anRs256TokenIsCheckedForExpiryLikeAnyOther() {
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());
        Jwt expired = Jwt.builder().algorithm("RS256").keyId("k1").subject("alice")
                .issueTime(NOW.minusSeconds(7200)).expirationTime(NOW.minusSeconds(60)).build();
        String token = SignedJwt.sign(expired, rsaJwk(rsa, "k1")).tokenContent();

        assertThat(refusal(jwks, token), is(Reason.EXPIRED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"der", "pem"})
    void anHs256TokenSignedWithTheRsaPublicKeyIsRefused(String encoding) {
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());
        byte[] publicKey = "der".equals(encoding) ? rsa.getPublic().getEncoded() : utf8(pem((RSAPublicKey) rsa.getPublic()));
        String token = hmac(Map.of("alg", "HS256", "typ", "JWT", "kid", "k1"), publicKey, claims("alice", NOW));

        assertThat(refusal(jwks, token), is(Reason.ALGORITHM));
    }

    @Test
    void anHs256TokenSignedWithTheRsaPublicKeyIsRefusedWhenASecretIsConfiguredToo() {
        JwtTokenVerifier both = jwksVerifier(Optional.of(SECRET));
        String token = hmac(Map.of("alg", "HS256", "typ", "JWT", "kid", "k1"), rsa.getPublic().getEncoded(),
                            claims("alice", NOW));

        assertThat(refusal(both, token), is(Reason.SIGNATURE));
    }

    @Test
    void anRs256TokenIsRefusedWhenOnlyASecretIsConfigured() {
        assertThat(refusal(verifier, rs256(rsa, "k1", "alice")), is(Reason.ALGORITHM));
    }

    @Test
    void anHs256TokenIsRefusedWhenOnlyAJwksIsConfigured() {
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());

        assertThat(refusal(jwks, hmac("HS256", utf8(SECRET), claims("alice", NOW))), is(Reason.ALGORITHM));
    }

    @Test
    void theModeNamesTheKeySources() {
        assertThat(verifier.mode(), is("hmac"));
        assertThat(jwksVerifier(Optional.empty()).mode(), is("jwks"));
        assertThat(jwksVerifier(Optional.of(SECRET)).mode(), is("hmac+jwks"));
    }

    @Test
    void aSecretShorterThan32BytesIsRefusedAtStart() {
        JwtSettings settings = new JwtSettings(Optional.of("short-secret"), Optional.empty(), Optional.empty(), Optional.empty());

        StartupException e = assertThrows(StartupException.class,
                                          () -> JwtTokenVerifier.create(settings, Optional.empty(), CLOCK));

        assertThat(e.getMessage(), is("JWT_SECRET must be at least 32 bytes, got 12"));
    }

    @Test
    void noKeyAndNoFallbackIsRefusedAtStart() {
        JwtSettings settings = new JwtSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        StartupException e = assertThrows(StartupException.class,
                                          () -> JwtTokenVerifier.create(settings, Optional.empty(), CLOCK));

        assertThat(e.getMessage().contains("\n"), is(false));
    }

    @Test
    void theFallbackSecretIsUsedWhenNoKeyIsConfigured() throws Exception {
        JwtSettings settings = new JwtSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        JwtTokenVerifier fallback = JwtTokenVerifier.create(settings, Optional.of(SECRET), CLOCK);

        assertThat(fallback.verify(hmac("HS256", utf8(SECRET), claims("alice", NOW)), SKEW).userId(), is("alice"));
    }

    @Test
    void theFallbackSecretIsNotUsedBesideAJwks() {
        JwtSettings settings = new JwtSettings(Optional.empty(), Optional.of(writeJwks().toString()), Optional.empty(),
                                               Optional.empty());
        JwtTokenVerifier jwks = JwtTokenVerifier.create(settings, Optional.of(SECRET), CLOCK);

        assertThat(refusal(jwks, hmac("HS256", utf8(SECRET), claims("alice", NOW))), is(Reason.ALGORITHM));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void anHmacTokenWithACritHeaderIsRefused(String alg) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        header.put("crit", List.of("exp"));
        header.put("exp", NOW.plusSeconds(3600).getEpochSecond());

        assertThat(refusal(verifier, hmac(header, utf8(SECRET), claims("alice", NOW))), is(Reason.CRITICAL_HEADER));
    }

    @Test
    void aCritHeaderNamingAnExtensionThatIsAbsentIsRefused() {
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "HS256", "crit", List.of("http://example.com/ext")));

        assertThat(refusal(verifier, hmac(header, utf8(SECRET), claims("alice", NOW))), is(Reason.CRITICAL_HEADER));
    }

    @Test
    void anEmptyCritHeaderIsRefused() {
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "HS256", "crit", List.of()));

        assertThat(refusal(verifier, hmac(header, utf8(SECRET), claims("alice", NOW))), is(Reason.CRITICAL_HEADER));
    }

    @Test
    void aCritHeaderThatIsNotAListIsRefused() {
        Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "HS256", "crit", 7));

        refusal(verifier, hmac(header, utf8(SECRET), claims("alice", NOW)));
    }

    @Test
    void anRs256TokenWithACritHeaderIsRefused() throws Exception {
        Jwt jwt = Jwt.builder()
                .algorithm("RS256")
                .keyId("k1")
                .headerBuilder(header -> header.addHeaderCritical("b64").addHeaderClaim("b64", true))
                .subject("alice")
                .issueTime(NOW)
                .expirationTime(NOW.plusSeconds(3600))
                .build();
        String token = SignedJwt.sign(jwt, rsaJwk(rsa, "k1")).tokenContent();
        JwtTokenVerifier jwks = jwksVerifier(Optional.empty());

        assertThat(refusal(jwks, token), is(Reason.CRITICAL_HEADER));
        assertThat(jwks.verify(rs256(rsa, "k1", "alice"), SKEW).userId(), is("alice"));
    }

    @Test
    void anUnreadableJwksFileIsRefusedAtStart() {
        JwtSettings settings = new JwtSettings(Optional.empty(), Optional.of(dir.resolve("missing.json").toString()),
                                               Optional.empty(), Optional.empty());

        assertThrows(StartupException.class, () -> JwtTokenVerifier.create(settings, Optional.empty(), CLOCK));
    }

    @Test
    void anEs256TokenSignedWithAKeyOfTheJwksIsAccepted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = generator.generateKeyPair();
        ECPublicKey publicKey = (ECPublicKey) ec.getPublic();
        String json = "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"e1\",\"use\":\"sig\",\"alg\":\"ES256\",\"crv\":\"P-256\","
                + "\"x\":\"" + coordinate(publicKey.getW().getAffineX()) + "\",\"y\":\""
                + coordinate(publicKey.getW().getAffineY()) + "\"}]}";
        JwtSettings settings = new JwtSettings(Optional.empty(), Optional.of(Files.writeString(dir.resolve("ec.json"), json).toString()),
                                               Optional.empty(), Optional.empty());
        JwtTokenVerifier verifier = JwtTokenVerifier.create(settings, Optional.empty(), CLOCK);
        Jwt jwt = Jwt.builder().algorithm("ES256").keyId("e1").subject("alice").expirationTime(NOW.plusSeconds(60)).build();
        JwkEC signingKey = JwkEC.builder().publicKey(publicKey).privateKey((ECPrivateKey) ec.getPrivate())
                .keyId("e1").algorithm(JwkEC.ALG_ES256).build();
        String token = SignedJwt.sign(jwt, signingKey).tokenContent();

        assertThat(verifier.verify(token, SKEW).userId(), is("alice"));
        int signature = token.lastIndexOf('.') + 1;
        char changed = token.charAt(signature) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, signature) + changed + token.substring(signature + 1);
        assertThat(refusal(verifier, forged), is(Reason.SIGNATURE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AAAA", "not-a-signature"})
    void anRs256SignatureOfTheWrongShapeIsRefusedAsInvalid(String signature) {
        String token = rs256(rsa, "k1", "alice");

        assertThat(refusal(jwksVerifier(Optional.empty()), token.substring(0, token.lastIndexOf('.') + 1) + signature),
                   is(Reason.SIGNATURE));
    }

    @Test
    void aSignatureThatIsNotBase64urlIsRefusedAsMalformed() {
        String token = hmac("HS256", utf8(SECRET), claims("alice", NOW));

        assertThat(refusal(verifier, token.substring(0, token.lastIndexOf('.') + 1) + "a+b/c"), is(Reason.MALFORMED));
    }

    @Test
    void aPayloadNamingAClaimTwiceIsRefused() {
        String token = hs256Raw(utf8(SECRET), "{\"alg\":\"HS256\"}",
                                "{\"sub\":\"alice\",\"sub\":\"mallory\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");

        assertThat(refusal(verifier, token), is(Reason.MALFORMED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sub\":\"alice\",\"exp\":EXP} {}", "[\"alice\"]", "\"alice\"", "{\"sub\":\"alice\",\"exp\":EXP"})
    void aPayloadThatIsNotOneJsonObjectIsRefused(String payload) {
        String token = hs256Raw(utf8(SECRET), "{\"alg\":\"HS256\"}",
                                payload.replace("EXP", Long.toString(NOW.plusSeconds(60).getEpochSecond())));

        assertThat(refusal(verifier, token), is(Reason.MALFORMED));
    }

    @Test
    void aHeaderThatIsNotJsonIsRefused() {
        assertThat(refusal(verifier, hs256Raw(utf8(SECRET), "alg=HS256", "{\"sub\":\"alice\"}")), is(Reason.MALFORMED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"tomorrow\"", "true", "{}", "1e300", "18446744073709551617", "-1e13", "1000000000001"})
    void anExpThatIsNotANumberOfSecondsInRangeIsRefused(String exp) {
        String token = hs256Raw(utf8(SECRET), "{\"alg\":\"HS256\"}", "{\"sub\":\"alice\",\"exp\":" + exp + "}");

        assertThat(refusal(verifier, token), is(Reason.CLAIMS));
    }

    @Test
    void aFractionalExpIsReadAsItsWholeSeconds() throws Exception {
        String token = hs256Raw(utf8(SECRET), "{\"alg\":\"HS256\"}",
                                "{\"sub\":\"alice\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + ".75}");

        assertThat(verifier.verify(token, SKEW).expiresAt(), is(NOW.plusSeconds(60)));
    }

    @Test
    void anAlgorithmThatIsNotAStringIsRefused() {
        String token = hs256Raw(utf8(SECRET), "{\"alg\":256}", "{\"sub\":\"alice\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");

        assertThat(refusal(verifier, token), is(Reason.ALGORITHM));
    }

    private static JwtTokenVerifier hmacVerifier(Optional<String> issuer, Optional<String> audience) {
        return JwtTokenVerifier.create(new JwtSettings(Optional.of(SECRET), Optional.empty(), issuer, audience),
                                       Optional.empty(), CLOCK);
    }

    private JwtTokenVerifier jwksVerifier(Optional<String> secret) {
        JwtSettings settings = new JwtSettings(secret, Optional.of(writeJwks().toString()), Optional.empty(), Optional.empty());
        return JwtTokenVerifier.create(settings, Optional.empty(), CLOCK);
    }

    /** Writes a JWKS holding the public half of {@link #rsa} as kid {@code k1}, RS256. */
    private Path writeJwks() {
        RSAPublicKey key = (RSAPublicKey) rsa.getPublic();
        String json = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\"" + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}]}";
        try {
            return Files.writeString(dir.resolve("jwks.json"), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(KeyPair keys, String kid, String sub) {
        Jwt jwt = Jwt.builder()
                .algorithm("RS256")
                .keyId(kid)
                .subject(sub)
                .issueTime(NOW)
                .expirationTime(NOW.plusSeconds(3600))
                .build();
        return SignedJwt.sign(jwt, rsaJwk(keys, kid)).tokenContent();
    }

    private static JwkRSA rsaJwk(KeyPair keys, String kid) {
        return JwkRSA.builder()
                .publicKey((RSAPublicKey) keys.getPublic())
                .privateKey((RSAPrivateKey) keys.getPrivate())
                .keyId(kid)
                .algorithm(JwkRSA.ALG_RS256)
                .build();
    }

    /** A valid HS256 token for alice whose compact form is exactly {@code length} characters. */
    private static String tokenOfLength(int length) {
        for (int padding = length * 3 / 4 - 200; padding < length; padding++) {
            Map<String, Object> claims = claims("alice", NOW);
            claims.put("pad", "x".repeat(padding));
            String token = hmac("HS256", utf8(SECRET), claims);
            if (token.length() == length) {
                return token;
            }
            if (token.length() > length) {
                claims.put("pad", "x".repeat(padding - 1));
                claims.put("p", "");
                token = hmac("HS256", utf8(SECRET), claims);
                if (token.length() == length) {
                    return token;
                }
            }
        }
        throw new AssertionError("no token of length " + length);
    }

    private static String pem(RSAPublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A P-256 coordinate as a JWK writes it: 32 bytes, big-endian, base64url. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Reason refusal(JwtTokenVerifier verifier, String token) {
        return refusal(verifier, token, SKEW);
    }

    private static Reason refusal(JwtTokenVerifier verifier, String token, long skew) {
        return assertThrows(AuthenticationException.class, () -> verifier.verify(token, skew)).reason();
    }
}
