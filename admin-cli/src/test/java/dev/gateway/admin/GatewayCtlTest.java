package dev.gateway.admin;

import java.util.Map;

import dev.gateway.testsupport.TestRedis;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** What every command shares: help, version, usage errors, an unreachable Redis. */
class GatewayCtlTest {
    @RegisterExtension
    static final TestRedis REDIS = TestRedis.keptBetweenTests();

    @ParameterizedTest
    @ValueSource(strings = {"connections", "devices --user alice", "online", "show s1", "nodes", "disconnect --user alice"})
    void anUnreachableRedisIsExit3WithOneLineOnStderr(String command) {
        int port = TestRedis.freePort();

        Cli.Result result = Cli.run(Map.of("REDIS_URL", "redis://127.0.0.1:" + port), Fixture.CLOCK, command.split(" "));

        assertThat(result.exitCode(), is(3));
        assertThat(result.out(), is(""));
        assertThat(result.err(), is("error: cannot reach Redis at redis://127.0.0.1:" + port + " (Connection refused)\n"));
    }

    @Test
    void theRedisPasswordIsNeverPrinted() {
        String url = "redis://admin:hunter2@127.0.0.1:" + TestRedis.freePort() + "/2";

        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "nodes", "--redis", url, "--verbose");

        assertThat(result.exitCode(), is(3));
        assertThat(result.err(), not(containsString("hunter2")));
        assertThat(result.err(), containsString("redis://admin:***@127.0.0.1:"));
    }

    @Test
    void aWrongRedisPasswordIsReportedAsUnreachable() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "nodes", "--redis", "redis://admin:wrong@127.0.0.1:" + REDIS.port());

        assertThat(result.exitCode(), is(3));
        assertThat(result.errLines().size(), is(1));
        assertThat(result.err(), startsWith("error: cannot reach Redis at redis://admin:***@127.0.0.1:" + REDIS.port() + " ("));
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "--verbose", "nodes", "--redis",
                                    "redis://127.0.0.1:" + TestRedis.freePort());

        assertThat(result.exitCode(), is(3));
        assertThat(result.err(), startsWith("redis.clients.jedis.exceptions.JedisConnectionException"));
        assertThat(result.err(), containsString("\tat "));
    }

    @Test
    void anInvalidRedisUrlIsAUsageError() {
        Cli.Result result = Cli.run(Map.of("REDIS_URL", "http://example.com"), Fixture.CLOCK, "nodes");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines(), contains(startsWith("error: Redis URL must start with redis://, rediss:// or redis-sentinel://")));
    }

    @Test
    void anUnknownCommandIsAUsageErrorInOneLine() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "kick", "alice");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines().size(), is(1));
        assertThat(result.err(), startsWith("error: Unmatched arguments"));
    }

    @Test
    void anUnknownOptionIsAUsageErrorInOneLine() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "connections", "--everything");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines(), contains("error: Unknown option: '--everything' (see 'gatewayctl connections --help')"));
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "nodes", "-o", "yaml");

        assertThat(result.exitCode(), is(2));
        assertThat(result.err(), containsString("yaml"));
    }

    @Test
    void withoutACommandTheUsageGoesToStderrAndExits2() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK);

        assertThat(result.exitCode(), is(2));
        assertThat(result.out(), is(""));
        assertThat(result.err(), startsWith("Usage: gatewayctl"));
    }

    @Test
    void versionNamesTheProjectVersion() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "--version");

        assertThat(result.exitCode(), is(0));
        assertThat(result.out(), startsWith("gatewayctl 0."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "connections", "devices", "online", "show", "nodes", "disconnect", "token", "completion"})
    void everyCommandsHelpListsItsExitCodesAndAnExample(String command) {
        String[] args = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};

        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, args);

        assertThat(result.exitCode(), is(0));
        assertThat(result.out(), containsString("\nExit codes:\n  0   done\n"));
        assertThat(result.out(), containsString("\nExample:\n  "));
    }

    @Test
    void completionPrintsABashScriptThatKnowsEveryCommand() {
        Cli.Result result = Cli.run(Map.of(), Fixture.CLOCK, "completion");

        assertThat(result.exitCode(), is(0));
        assertThat(result.out(), containsString("complete -F _complete_gatewayctl"));
        assertThat(result.out(), containsString("disconnect"));
        assertThat(result.out(), containsString("--timeout"));
    }
}
