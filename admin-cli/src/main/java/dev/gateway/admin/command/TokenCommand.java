package dev.gateway.admin.command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.gateway.protocol.event.Identifiers;
import dev.gateway.admin.Environment;
import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Output;
import dev.gateway.protocol.auth.DevelopmentMode;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkOctet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A token for trying the gateway out: HS256, signed with the secret the gateway verifies with. Needs no Redis. */
@Command(name = "token",
         description = {"Prints a signed JWT (HS256) for testing: sub, roleContextId, deviceId, iat, exp, and iss/aud"
                                + " when JWT_ISSUER/JWT_AUDIENCE are set.",
                        "Signed with $JWT_SECRET; when it is unset, with the development secret that only a gateway"
                                + " in development mode (make run) accepts, and a note on stderr says so."},
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_USAGE},
         footer = {"  TOKEN=$(gatewayctl token --user alice --device phone --ttl 15m)",
                   "  websocat -H \"Authorization: Bearer $TOKEN\" ws://localhost:8080/ws"})
public final class TokenCommand implements Callable<Integer> {
    /** The user ids the gateway accepts in {@code sub} (PROTOCOL section 2). */
    /** HS256 needs a key of at least the hash's size; the gateway refuses shorter secrets too. */
    private static final int MIN_SECRET_BYTES = 32;

    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @Option(names = "--user", paramLabel = "USER", required = true, description = "The user id (sub claim).")
    private String userId;

    @Option(names = "--role", paramLabel = "ROLE", description = "The roleContextId claim.")
    private String role;

    @Option(names = "--device", paramLabel = "DEVICE", description = "The deviceId claim: the device the socket reports.")
    private String deviceId;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the token is valid: 30s, 15m, 1h, 7d. Default: ${DEFAULT-VALUE}.")
    private Duration ttl;

    @Override
    public Integer call() {
        if (!Identifiers.isValid(userId)) {
            throw new ParameterException(spec.commandLine(),
                                         "--user must be " + Identifiers.RULE + ", got '" + userId + "'");
        }
        Environment environment = gatewayctl.environment();
        Optional<String> configured = environment.variable("JWT_SECRET");
        if (configured.isEmpty()) {
            spec.commandLine().getErr().println("note: JWT_SECRET is unset; signed with the development secret,"
                                                        + " which only a gateway in development mode accepts");
        }
        byte[] secret = configured.orElse(DevelopmentMode.JWT_SECRET).getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_SECRET_BYTES) {
            throw new ParameterException(spec.commandLine(), "JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }

        Instant now = environment.clock().instant();
        Jwt.Builder jwt = Jwt.builder()
                .type("JWT")
                .algorithm(JwkOctet.ALG_HS256)
                .subject(userId)
                .issueTime(now)
                .expirationTime(now.plus(ttl));
        Optional.ofNullable(role).ifPresent(value -> jwt.addPayloadClaim("roleContextId", value));
        Optional.ofNullable(deviceId).ifPresent(value -> jwt.addPayloadClaim("deviceId", value));
        environment.variable("JWT_ISSUER").ifPresent(jwt::issuer);
        environment.variable("JWT_AUDIENCE").ifPresent(audience -> jwt.audience(List.of(audience)));
        String token = SignedJwt.sign(jwt.build(), key(secret)).tokenContent();

        Output output = gatewayctl.output();
        if (output.json()) {
            output.json(Map.of("token", token));
        } else {
            output.line(token);
        }
        return ExitCodes.OK;
    }

    /**
     * Helidon builds octet keys only from their JWK form, which requires a key id. It stays out of the token's
     * header (only the Jwt's own headers are written), so the gateway verifies with its key whatever its id.
     */
    static JwkOctet key(byte[] secret) {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return JwkOctet.create(jakarta.json.Json.createObjectBuilder()
                                       .add(Jwk.PARAM_KEY_TYPE, Jwk.KEY_TYPE_OCT)
                                       .add(Jwk.PARAM_KEY_ID, "jwt-secret")
                                       .add(Jwk.PARAM_ALGORITHM, JwkOctet.ALG_HS256)
                                       .add(JwkOctet.PARAM_OCTET_KEY, k)
                                       .build());
    }
}
