package dev.gateway.admin.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.admin.output.Output;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.PresenceStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "online",
         description = {"Lists the online users, most recently seen first, with how many sockets each has.",
                        "With --count, prints only how many users are online (exit code 0 even when none are)."},
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_NOTHING_MATCHED, ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl online",
                   "  gatewayctl online --count"})
public final class OnlineCommand implements Callable<Integer> {
    @ParentCommand
    private GatewayCtl gatewayctl;

    @Option(names = "--count", description = "Print only the number of online users.")
    private boolean count;

    /** @param lastSeen ISO-8601 UTC of the user's last presence ping */
    record OnlineUser(String userId, long sockets, String lastSeen) {
    }

    @Override
    public Integer call() {
        Output output = gatewayctl.output();
        PresenceStore presence = gatewayctl.stores().presence();
        if (count) {
            // A count is an answer even when it is 0, so it exits 0: `n=$(gatewayctl online --count)` under set -e.
            long online = presence.onlineCount();
            if (output.json()) {
                output.json(Map.of("count", online));
            } else {
                output.line(Long.toString(online));
            }
            return ExitCodes.OK;
        }
        List<PresenceStore.OnlineUser> online = presence.online(Integer.MAX_VALUE);
        List<Long> sockets = gatewayctl.stores().connections()
                .socketCounts(online.stream().map(PresenceStore.OnlineUser::userId).toList());
        List<OnlineUser> users = new ArrayList<>(online.size());
        for (int i = 0; i < online.size(); i++) {
            users.add(new OnlineUser(online.get(i).userId(), sockets.get(i), online.get(i).lastSeen().toString()));
        }
        output.list(users, List.of(Column.of("USER", OnlineUser::userId),
                                   Column.of("SOCKETS", user -> Long.toString(user.sockets())),
                                   Column.of("LAST SEEN", user -> Times.instant(user.lastSeen()))));
        return ExitCodes.matched(!users.isEmpty());
    }
}
