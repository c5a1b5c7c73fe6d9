package dev.gateway.admin.command;

import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion",
         description = {"Prints a completion script for bash and zsh: commands, options and their values.",
                        "bash: add `source <(gatewayctl completion)` to ~/.bashrc.",
                        "zsh: add `autoload -U +X bashcompinit && bashcompinit` and then the same line to ~/.zshrc."},
         exitCodeList = {ExitCodes.HELP_OK},
         footer = {"  source <(gatewayctl completion)",
                   "  gatewayctl completion > /etc/bash_completion.d/gatewayctl"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
        return ExitCodes.OK;
    }
}
