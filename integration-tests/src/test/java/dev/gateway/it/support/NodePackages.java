package dev.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The npm packages the tests use ({@code src/test/node/package.json}: socket.io-client), installed from
 * {@code package-lock.json} with {@code npm ci} once per build (test JVMs running side by side share it). Skips the calling test (an assumption) when Node.js
 * or npm is not installed.
 */
public final class NodePackages {
    /** {@code integration-tests/src/test/node}. */
    public static final Path DIR = Path.of(System.getProperty("gateway.root", ".."), "integration-tests", "src", "test", "node");
    private static boolean installed;

    private NodePackages() {
    }

    /** Installs the packages once; skips the test when node or npm is missing. */
    public static synchronized Path install() {
        assumeTrue(runs("node", "--version"), "node is not installed: these scenarios need Node.js and npm");
        assumeTrue(runs("npm", "--version"), "npm is not installed: these scenarios need Node.js and npm");
        if (installed) {
            return DIR.resolve("node_modules");
        }
        // test JVMs run side by side (forkCount in the pom): the first installs under a file lock and leaves a marker
        // for this build, the others wait for it and reuse what it installed (npm ci would delete it under them)
        Path marker = Path.of("target", "npm-installed");
        try (FileChannel lockFile = FileChannel.open(Path.of("target", "npm.lock"), StandardOpenOption.CREATE,
                                                     StandardOpenOption.WRITE);
             FileLock lock = lockFile.lock()) {
            if (!Files.exists(marker) || !Files.isDirectory(DIR.resolve("node_modules"))) {
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                        .directory(DIR.toFile()).redirectErrorStream(true).start();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!npm.waitFor(120, TimeUnit.SECONDS) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm ci failed in " + DIR + ":\n" + output);
                }
                Files.writeString(marker, "npm ci done\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        installed = true;
        return DIR.resolve("node_modules");
    }

    /** socket.io-client's browser bundle, as a front end would load it. */
    public static Path socketIoClientBundle() {
        return install().resolve("socket.io-client/dist/socket.io.min.js");
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
