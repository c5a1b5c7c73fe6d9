package dev.gateway.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.gateway.admin.command.CompletionCommand;
import dev.gateway.admin.command.ConnectionsCommand;
import dev.gateway.admin.command.DevicesCommand;
import dev.gateway.admin.command.DisconnectCommand;
import dev.gateway.admin.command.EmitCommand;
import dev.gateway.admin.command.EventsCommand;
import dev.gateway.admin.command.NodesCommand;
import dev.gateway.admin.command.OnlineCommand;
import dev.gateway.admin.command.OutputOptions;
import dev.gateway.admin.command.RedisOptions;
import dev.gateway.admin.command.ShowCommand;
import dev.gateway.admin.command.Stores;
import dev.gateway.admin.command.TokenCommand;
import dev.gateway.admin.output.Output;
import dev.gateway.protocol.event.Json;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code gatewayctl}: the admin CLI of the gateway. It works on the Redis the gateway nodes share (PROTOCOL sections
 * 6 and 7), so it needs no connection to any node. {@code --redis}, {@code -o} and {@code --verbose} are inherited by
 * every command, so they are accepted before or after the command name.
 */
@Command(name = "gatewayctl",
         scope = ScopeType.INHERIT,
         mixinStandardHelpOptions = true,
         versionProvider = GatewayCtl.Version.class,
         description = "Lists the gateway's connections, devices, online users and nodes, disconnects sockets and"
                 + " prints the event stream, through the Redis the gateway nodes share.",
         subcommands = {ConnectionsCommand.class, DevicesCommand.class, OnlineCommand.class, ShowCommand.class,
                        NodesCommand.class, DisconnectCommand.class, EmitCommand.class, EventsCommand.class, TokenCommand.class,
                        CompletionCommand.class},
         exitCodeListHeading = "%nExit codes:%n",
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_NOTHING_MATCHED, ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footerHeading = "%nExample:%n",
         footer = {"  export REDIS_URL=redis://redis.internal:6379",
                   "  gatewayctl connections --user alice",
                   "  gatewayctl disconnect --user alice --device phone -o json",
                   "  gatewayctl events --type chat.message --follow"})
public final class GatewayCtl implements Callable<Integer> {
    @Mixin
    private RedisOptions redis;
    @Mixin
    private OutputOptions output;
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On failure, print the stack trace as well.")
    private boolean verbose;
    @Spec
    private CommandSpec spec;

    /** Held, since the logging framework keeps loggers only weakly. */
    private static final Logger JEDIS_LOG = Logger.getLogger("redis.clients");

    private final Environment environment;
    private final ObjectMapper mapper = Json.mapper();
    private Stores stores;

    private GatewayCtl(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        // Jedis logs an unreachable Sentinel with a stack trace; gatewayctl reports it in one line (exit 3)
        JEDIS_LOG.setLevel(Level.OFF);
        CommandLine commandLine = commandLine(Environment.system());
        // Buffered and flushed once: a listing of 100,000 rows must not pay a system call per line.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(System.out, System.out.charset())));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        System.exit(exitCode);
    }

    /** The command line with its error handling wired: what {@link #main} runs, and what the tests run. */
    public static CommandLine commandLine(Environment environment) {
        GatewayCtl gatewayctl = new GatewayCtl(environment);
        CommandLine commandLine = new CommandLine(gatewayctl);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(gatewayctl::usageError);
        commandLine.setExecutionExceptionHandler(gatewayctl::failure);
        commandLine.setExecutionStrategy(gatewayctl::executeAndClose);
        return commandLine;
    }

    /** Without a command: the usage, on stderr since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public Environment environment() {
        return environment;
    }

    /** The Redis stores, connected on first use and closed when the command returns. */
    public Stores stores() {
        if (stores == null) {
            stores = redis.open(environment, mapper);
        }
        return stores;
    }

    /** The shared Jackson configuration. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Where the command prints its result, in the format {@code -o} asked for. */
    public Output output() {
        int width = environment.variable("COLUMNS").filter(value -> value.matches("\\d{2,4}")).map(Integer::parseInt)
                .orElse(Output.DEFAULT_WIDTH);
        return new Output(spec.commandLine().getOut(), output.format() == OutputOptions.Format.JSON, mapper, width);
    }

    private int executeAndClose(ParseResult parseResult) {
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } finally {
            if (stores != null) {
                stores.close();
            }
        }
    }

    /** Usage errors in one line, naming where to find the right usage, rather than the whole help text. */
    private int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        // Some picocli messages start with "Error: " of their own.
        String message = e.getMessage().replaceFirst("^Error: ", "");
        String help = commandLine.getCommandSpec().qualifiedName() + " --help";
        commandLine.getErr().println("error: " + message + " (see '" + help + "')");
        return ExitCodes.USAGE;
    }

    private int failure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (verbose) {
            e.printStackTrace(err);
        }
        if (isRedisUnreachable(e)) {
            err.println("error: cannot reach Redis at " + redis.endpoint(environment).masked() + " (" + rootMessage(e) + ")");
            return ExitCodes.REDIS_UNREACHABLE;
        }
        err.println("error: " + rootMessage(e));
        return ExitCodes.FAILED;
    }

    private static boolean isRedisUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException || t instanceof JedisAccessControlException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost message: "Connection refused" says more than "Failed to connect to localhost:6379". Jedis keeps
     * the reason of a failed connect as a suppressed exception (one per address tried), not as the cause.
     */
    private static String rootMessage(Throwable e) {
        String message = e.toString();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            t = t.getCause() != null ? t.getCause() : t.getSuppressed().length > 0 ? t.getSuppressed()[0] : null;
        }
        return message.lines().findFirst().orElse(message);
    }

    /** The project version, written into {@code version.properties} by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = GatewayCtl.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"gatewayctl " + properties.getProperty("version", "unknown")};
        }
    }
}
