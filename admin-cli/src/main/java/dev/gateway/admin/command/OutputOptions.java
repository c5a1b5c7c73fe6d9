package dev.gateway.admin.command;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code -o table|json}. Inherited by every command. */
public final class OutputOptions {
    public enum Format {
        TABLE,
        JSON
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "table",
            description = "table (aligned, for people) or json (one document, for scripts). Default: table.")
    private Format format;

    public Format format() {
        return format;
    }
}
