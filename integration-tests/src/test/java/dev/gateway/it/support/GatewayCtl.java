package dev.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;

/**
 * Runs {@code gatewayctl} as an operator would: its own process ({@code java -jar gatewayctl.jar}, or the
 * {@code bin/gatewayctl} launcher), with {@code REDIS_URL} and {@code JWT_SECRET} in the environment.
 */
public final class GatewayCtl {
    public static final String CTL_JAR_PROPERTY = "gateway.ctl.jar";
    public static final String ROOT_PROPERTY = "gateway.root";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<String> launcher;
    private final Map<String, String> env;

    private GatewayCtl(List<String> launcher, Map<String, String> env) {
        this.launcher = launcher;
        this.env = env;
    }

    /** {@code java -jar gatewayctl.jar} against {@code redis}, with the test JWT secret. */
    public static GatewayCtl jar(TestRedis redis) {
        return jar(Map.of("REDIS_URL", redis.url(), "JWT_SECRET", Tokens.SECRET));
    }

    public static GatewayCtl jar(Map<String, String> env) {
        String jar = System.getProperty(CTL_JAR_PROPERTY);
        if (jar == null) {
            throw new IllegalStateException("system property " + CTL_JAR_PROPERTY + " is not set; run through Maven");
        }
        return new GatewayCtl(List.of(GatewayProcess.javaCommand(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                                      "-jar", Path.of(jar).toAbsolutePath().normalize().toString()), env);
    }

    /** The real {@code bin/gatewayctl} launcher of the checkout. */
    public static GatewayCtl launcher(Map<String, String> env) {
        String root = System.getProperty(ROOT_PROPERTY);
        if (root == null) {
            throw new IllegalStateException("system property " + ROOT_PROPERTY + " is not set; run through Maven");
        }
        Path script = Path.of(root, "bin", "gatewayctl").toAbsolutePath().normalize();
        return new GatewayCtl(List.of(script.toString()), env);
    }

    /** The outcome of one run. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** stdout parsed as one JSON document (for {@code -o json}). */
        public JsonNode json() {
            try {
                return Json.mapper().readTree(stdout);
            } catch (JsonProcessingException e) {
                throw new AssertionError("gatewayctl stdout is not JSON: " + stdout + "\nstderr: " + stderr, e);
            }
        }

        public List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        public List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Runs one command and waits (at most 20 s) for it to exit. */
    public Result run(String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.remove("REDIS_URL");
        environment.remove("JWT_SECRET");
        environment.remove("GATEWAY_DEV_MODE");
        environment.putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("gatewayctl " + String.join(" ", args) + " did not exit within " + TIMEOUT);
            }
            return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError("gatewayctl " + String.join(" ", args) + " failed", e);
        }
    }

    private static String read(Process process, boolean stderr) {
        try {
            return new String((stderr ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
                              StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
