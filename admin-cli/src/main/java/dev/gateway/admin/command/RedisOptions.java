package dev.gateway.admin.command;

import java.time.Duration;
import java.util.Optional;

import dev.gateway.admin.Environment;
import dev.gateway.protocol.store.EventStream;
import dev.gateway.protocol.store.RedisConnector;
import dev.gateway.protocol.store.RedisEndpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code --redis URL}: the Redis the gateway nodes share. Inherited by every command. */
public final class RedisOptions {
    /** Connect and command timeout: an unreachable Redis is reported within seconds, never waited on forever. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Commands run one after another; the second connection only spares a wait while one is returned. */
    private static final int CONNECTIONS = 2;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--redis", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = {"The Redis the gateway uses: redis://[user:password@]host[:port][/db], rediss:// for TLS,",
                           "or redis-sentinel://[user:password@]host:port[,host:port...]/MASTER_NAME[/db].",
                           "Default: $REDIS_URL, else " + RedisEndpoint.DEFAULT_URL})
    private String url;

    /** The endpoint: {@code --redis}, else {@code REDIS_URL}, else the local default. */
    public RedisEndpoint endpoint(Environment environment) {
        String value = Optional.ofNullable(url).or(() -> environment.variable("REDIS_URL")).orElse(RedisEndpoint.DEFAULT_URL);
        try {
            return RedisEndpoint.parse(value);
        } catch (IllegalArgumentException e) {
            // RedisEndpoint's message already masks the password.
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /**
     * A client for the endpoint; it connects on the first command, so an unreachable Redis shows up there. The stores
     * follow {@code EVENTS} and {@code EVENTS_MAXLEN} as the gateway does: cleaning a dead node's sockets appends
     * their events to the event stream.
     */
    public Stores open(Environment environment, ObjectMapper mapper) {
        RedisEndpoint endpoint = endpoint(environment);
        EventStream events;
        try {
            events = EventStream.of(environment.variable("EVENTS"), environment.variable("EVENTS_MAXLEN"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
        RedisConnector connector = new RedisConnector(endpoint, TIMEOUT, "gatewayctl");
        return new Stores(connector.pooledClient(CONNECTIONS), mapper, events);
    }
}
