package dev.gateway.it.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.gateway.it.support.GatewayCtl;

/**
 * Runs the packaged gatewayctl ({@code admin-cli/target/gatewayctl.jar} and the {@code libs/} its manifest names)
 * inside the test JVM: the command line its {@code main} builds, error handlers included, with its own environment
 * variables, minus a JVM start per run. The many checks of output use it; what only a process shows (the
 * {@code bin/gatewayctl} launcher, {@code System.exit}, what reaches the real stderr) is checked with
 * {@link GatewayCtl} in each class.
 * <p>
 * The jar gets a class loader of its own, under the platform loader: the test's class path takes the project's
 * modules from the local Maven repository, which other builds on this machine may replace mid-run, and which may hold
 * another checkout's gatewayctl. The packaged jar is the one {@code bin/gatewayctl} runs.
 */
final class InProcessCtl {
    private final Map<String, String> env;

    InProcessCtl(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    GatewayCtl.Result run(String... args) {
        ClassLoader jar = PackagedJar.LOADER;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(jar);
        try {
            Class<?> environment = jar.loadClass("dev.gateway.admin.Environment");
            Object variables = environment.getConstructor(Map.class, Clock.class).newInstance(env, Clock.systemUTC());
            Object commandLine = jar.loadClass("dev.gateway.admin.GatewayCtl").getMethod("commandLine", environment)
                    .invoke(null, variables);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Class<?> type = commandLine.getClass();
            type.getMethod("setOut", PrintWriter.class).invoke(commandLine, new PrintWriter(out, true));
            type.getMethod("setErr", PrintWriter.class).invoke(commandLine, new PrintWriter(err, true));
            Method execute = type.getMethod("execute", String[].class);
            int exitCode = (Integer) execute.invoke(commandLine, (Object) args);
            return new GatewayCtl.Result(exitCode, out.toString(), err.toString());
        } catch (InvocationTargetException e) {
            throw new AssertionError("gatewayctl " + String.join(" ", args) + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot run gatewayctl from its jar", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The jar's class loader, made on first use (holder idiom: created once, by whichever test needs it first). */
    private static final class PackagedJar {
        static final ClassLoader LOADER = open();

        private static ClassLoader open() {
            String property = System.getProperty(GatewayCtl.CTL_JAR_PROPERTY);
            if (property == null) {
                throw new IllegalStateException("system property " + GatewayCtl.CTL_JAR_PROPERTY + " is not set; "
                                                        + "run through Maven");
            }
            Path jar = Path.of(property).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " does not exist; build it first (mvn -B -q install -DskipTests)");
            }
            try {
                // URLClassLoader follows the jar's Class-Path manifest entries (libs/...), as java -jar does.
                return new URLClassLoader("gatewayctl", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
