package dev.gateway.server.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import dev.gateway.protocol.event.Identifiers;
import dev.gateway.server.connection.QueryParameters;

/**
 * The demo chat of development mode ({@code make run}): {@code GET /} serves one page (plain HTML, CSS and JavaScript
 * from this jar, no build step, no CDN) that speaks the native protocol over a plain WebSocket to {@code /ws}.
 * <p>
 * {@code GET /demo/token?user=NAME} mints a one-hour token for any name, signed with the fixed development secret, so
 * a newcomer needs no tooling: anyone can mint such tokens, which is why the route exists only in development mode and
 * only while the gateway verifies with that secret (with {@code JWT_SECRET} or {@code JWT_JWKS} set it answers 404, and
 * the page asks for a token from {@code gatewayctl token}).
 */
public final class DemoPage {
    /** Where the page's files are, in this jar. */
    static final String RESOURCES = "dev/gateway/demo";
    private static final Duration TOKEN_TTL = Duration.ofHours(1);

    private final Optional<String> developmentSecret;
    private final ObjectMapper mapper;
    private final Clock clock;

    /** @param developmentSecret the secret tokens are minted with; empty when the gateway verifies with another */
    public DemoPage(Optional<String> developmentSecret, ObjectMapper mapper, Clock clock) {
        this.developmentSecret = developmentSecret;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Adds the page and the token route; register after the gateway's own routes. */
    public void httpRouting(HttpRouting.Builder routing) {
        routing.get("/demo/token", this::token);
        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                                                                         .location(RESOURCES)
                                                                         .welcome("index.html")
                                                                         .build()));
    }

    private void token(ServerRequest req, ServerResponse res) throws JsonProcessingException {
        res.header(HeaderValues.CONTENT_TYPE_JSON).header(HeaderNames.CACHE_CONTROL, "no-store");
        if (developmentSecret.isEmpty()) {
            res.status(Status.NOT_FOUND_404).send(mapper.writeValueAsString(Map.of(
                    "error", "not_found", "message", "the gateway does not use the development secret: mint a token with "
                            + "gatewayctl token --user NAME")));
            return;
        }
        String user = QueryParameters.trimmed(req.query(), "user").orElse("");
        if (!Identifiers.isValid(user)) {
            res.status(Status.BAD_REQUEST_400).send(mapper.writeValueAsString(Map.of(
                    "error", "validation", "message", "user must be " + Identifiers.RULE)));
            return;
        }
        res.send(mapper.writeValueAsString(Map.of("token", mint(user, developmentSecret.get()))));
    }

    private String mint(String user, String secret) {
        Instant now = clock.instant();
        Jwt jwt = Jwt.builder()
                .type("JWT")
                .algorithm(JwkOctet.ALG_HS256)
                .subject(user)
                .addPayloadClaim("deviceId", "demo")
                .issueTime(now)
                .expirationTime(now.plus(TOKEN_TTL))
                .build();
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        // Helidon builds octet keys only from their JWK form; the key id stays out of the token's header
        JwkOctet key = JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                                               .add(Jwk.PARAM_KEY_TYPE, Jwk.KEY_TYPE_OCT)
                                               .add(Jwk.PARAM_KEY_ID, "development")
                                               .add(Jwk.PARAM_ALGORITHM, JwkOctet.ALG_HS256)
                                               .add(JwkOctet.PARAM_OCTET_KEY, k)
                                               .build());
        return SignedJwt.sign(jwt, key).tokenContent();
    }
}
