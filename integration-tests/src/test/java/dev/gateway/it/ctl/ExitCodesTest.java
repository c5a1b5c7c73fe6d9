package dev.gateway.it.ctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import dev.gateway.it.support.GatewayCtl;
import dev.gateway.testsupport.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 7, exit codes 2 (usage error) and 3 (Redis unreachable), with what an operator's terminal shows:
 * one line on stderr and nothing on stdout, no stack trace unless {@code --verbose}. Runs that reach for Redis are
 * processes of their own (the packaged jar, or the {@code bin/gatewayctl} launcher): what reaches the real stderr is
 * the point, and a library logging there would show only in a process. Usage errors are found before anything else
 * happens, so their many variants run in-process, and one runs through the launcher.
 */
class ExitCodesTest {
    private static final String PASSWORD = "s3cret-redis-password";
    /** Parsing fails before any Redis is asked; a port where nothing listens turns a parse that wrongly passed into 3. */
    private static final String NOTHING_LISTENS = "redis://127.0.0.1:" + closedPort();

    // a TestRedis alone: these tests run gatewayctl against Redis and start no gateway
    @RegisterExtension
    static final TestRedis REDIS_WITH_PASSWORD = new TestRedis(PASSWORD);

    private final GatewayCtl jar = GatewayCtl.jar(Map.of("REDIS_URL", NOTHING_LISTENS));
    private final InProcessCtl inProcess = new InProcessCtl(Map.of("REDIS_URL", NOTHING_LISTENS));

    @ParameterizedTest(name = "gatewayctl {0}")
    @ValueSource(strings = {
            "connections --no-such-option",
            "devices",
            "show",
            "disconnect",
            "disconnect --socket s-1 --user alice",
            "disconnect --user alice --timeout soon",
            "-o yaml nodes",
            "no-such-command"})
    void badUsageExitsTwoWithOneLineOnStderrAndNothingOnStdout(String arguments) {
        GatewayCtl.Result result = inProcess.run(arguments.split(" "));

        assertThat(result.toString(), result.exitCode(), is(2));
        assertThat(result.toString(), result.stdout(), is(""));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
    }

    @ParameterizedTest(name = "gatewayctl {0}")
    @ValueSource(strings = {
            "connections",
            "devices --user alice -o json",
            "online --count",
            "show 00000000-0000-0000-0000-000000000000",
            "disconnect --user alice"})
    void unreachableRedisExitsThreeWithOneLineOnStderrAndNoStackTrace(String arguments) {
        GatewayCtl.Result result = jar.run(arguments.split(" "));

        assertThat(result.toString(), result.exitCode(), is(3));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
        assertThat(result.toString(), result.stderr(), startsWith("error: cannot reach Redis at " + NOTHING_LISTENS));
        assertThat(result.toString(), result.stderr(), not(containsString("Exception")));
        assertThat(result.toString(), result.stdout(), is(""));
    }

    @Test
    void theLauncherExitsThreeWithOneLineOnStderrWhenRedisIsUnreachable() {
        GatewayCtl.Result result = GatewayCtl.launcher(Map.of()).run("--redis", NOTHING_LISTENS, "connections");

        assertThat(result.toString(), result.exitCode(), is(3));
        assertThat(result.toString(), result.stderrLines(),
                   is(List.of("error: cannot reach Redis at " + NOTHING_LISTENS + " (Connection refused)")));
        assertThat(result.toString(), result.stdout(), is(""));
    }

    @Test
    void theLauncherExitsTwoOnAnUnknownOption() {
        GatewayCtl.Result result = GatewayCtl.launcher(Map.of()).run("online", "--bogus");

        assertThat(result.toString(), result.exitCode(), is(2));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
        assertThat(result.toString(), result.stdout(), is(""));
    }

    @Test
    void verboseAddsTheStackTraceWhenRedisIsUnreachable() {
        GatewayCtl.Result result = jar.run("--verbose", "nodes");

        assertThat(result.toString(), result.exitCode(), is(3));
        assertThat(result.toString(), result.stderrLines().size() > 1, is(true));
        assertThat(result.toString(), result.stderr(), containsString("Exception"));
    }

    @Test
    void aRedisRefusingTheCredentialsExitsThreeWithoutPrintingThePassword() {
        String wrong = "redis://:wrong-password@127.0.0.1:" + REDIS_WITH_PASSWORD.port();

        GatewayCtl.Result result = jar.run("--redis", wrong, "online", "--count");

        assertThat(result.toString(), result.exitCode(), is(3));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
        assertThat(result.toString(), result.stderr(), not(containsString("wrong-password")));
        assertThat(result.toString(), result.stdout(), is(""));
    }

    @Test
    void onlineCountOfAnEmptyRedisIsZeroAndExitsZero() {
        GatewayCtl.Result result = jar.run("--redis", REDIS_WITH_PASSWORD.url(), "online", "--count");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.stdout(), is("0\n"));
    }

    /** A port that was free a moment ago, with nothing listening on it. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
