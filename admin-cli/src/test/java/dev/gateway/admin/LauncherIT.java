package dev.gateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gateway.testsupport.TestRedis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged jar through the real {@code bin/gatewayctl} launcher: its manifest class path, its exit codes through
 * {@code System.exit}, and a stderr with no log lines from the libraries beside the one error line.
 */
class LauncherIT {
    private static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.started();
        new Fixture(redis).fill();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void theLauncherListsConnections() throws Exception {
        Run run = launch(Map.of("REDIS_URL", redis.url()), "connections", "--user", "bob");

        assertThat(run.exitCode(), is(0));
        assertThat(run.err(), is(""));
        assertThat(run.out().lines().toList().get(1), startsWith("bob-laptop-1  bob   laptop  MacBook  gw-a  203.0.113.31"));
    }

    @Test
    void theLauncherExits1WhenNothingMatched() throws Exception {
        Run run = launch(Map.of("REDIS_URL", redis.url()), "devices", "--user", "nobody", "-o", "json");

        assertThat(run.exitCode(), is(1));
        assertThat(run.out(), is("[]\n"));
    }

    @Test
    void theLauncherReportsAnUnreachableRedisInExactlyOneLine() throws Exception {
        int port = TestRedis.freePort();

        Run run = launch(Map.of(), "--redis", "redis://127.0.0.1:" + port, "nodes");

        assertThat(run.exitCode(), is(3));
        assertThat(run.out(), is(""));
        assertThat(run.err().lines().toList(),
                   contains("error: cannot reach Redis at redis://127.0.0.1:" + port + " (Connection refused)"));
    }

    @Test
    void theLauncherExits2OnUsageErrors() throws Exception {
        Run run = launch(Map.of(), "disconnect");

        assertThat(run.exitCode(), is(2));
        assertThat(run.err().lines().count(), is(1L));
    }

    @Test
    void theLauncherPrintsATokenForCommandSubstitution() throws Exception {
        Run run = launch(Map.of("JWT_SECRET", "a-test-secret-of-at-least-32-bytes-long"), "token", "--user", "alice");

        assertThat(run.exitCode(), is(0));
        assertThat(run.out().lines().count(), is(1L));
        assertThat(run.out(), startsWith("eyJ"));
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run launch(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("gatewayctl.launcher"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("REDIS_URL");
        builder.environment().remove("JWT_SECRET");
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        // Both pipes hold far more than these commands print, so reading one after the other cannot block.
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gatewayctl did not exit within 10 s");
        }
        return new Run(process.exitValue(), out, err);
    }
}
