package dev.gateway.admin.command;

import java.util.Map;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.Rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "emit",
         description = {"Sends one event to the sockets of a user, of one device of a user, or of a room, on every node.",
                        "The sockets receive {\"event\": EVENT, \"data\": DATA} like any server event. Prints how many"
                                + " nodes delivered it; 0 (exit 1) means no node holds such a socket right now."},
         exitCodeList = {ExitCodes.HELP_OK, "1:no node holds a socket of that user, device or room", ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl emit --user alice --event notice --data '{\"text\": \"maintenance at 22:00\"}'",
                   "  gatewayctl emit --user alice --device phone --event session:revoked",
                   "  gatewayctl emit --room chat:lobby --event notice --data '{\"text\": \"welcome\"}'"})
public final class EmitCommand implements Callable<Integer> {
    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Target target;

    @Option(names = "--event", required = true, paramLabel = "EVENT", description = "The event name, e.g. notice.")
    private String event;

    @Option(names = "--data", paramLabel = "JSON", defaultValue = "{}", description = "The event's data: a JSON object"
            + " (default: ${DEFAULT-VALUE}).")
    private String data;

    static final class Target {
        @ArgGroup(exclusive = false)
        UserTarget user;

        @Option(names = "--room", paramLabel = "ROOM", description = "A room: chat:{chatId}, user:{userId} or role:{roleContextId}.")
        String room;
    }

    static final class UserTarget {
        @Option(names = "--user", required = true, paramLabel = "USER", description = "Every socket of this user.")
        String userId;

        @Option(names = "--device", paramLabel = "DEVICE", description = "Only the sockets of this device of the user.")
        String deviceId;
    }

    @Override
    public Integer call() {
        if (event.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--event must not be empty");
        }
        JsonNode payload;
        try {
            payload = gatewayctl.mapper().readTree(data);
        } catch (JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), "--data must be a JSON object: " + e.getOriginalMessage());
        }
        if (payload == null || !payload.isObject()) {
            throw new ParameterException(spec.commandLine(), "--data must be a JSON object");
        }
        String frame = new FrameCodec(gatewayctl.mapper()).encode(event, payload);
        String room;
        RoomMessage message;
        if (target.room != null) {
            room = target.room;
            message = RoomMessage.toAll(frame);
        } else {
            room = Rooms.user(target.user.userId);
            message = target.user.deviceId == null ? RoomMessage.toAll(frame) : RoomMessage.toDevice(target.user.deviceId, frame);
        }
        long nodes = Rooms.publish(gatewayctl.stores().client(), room, message);
        if (gatewayctl.output().json()) {
            gatewayctl.output().json(Map.of("room", room, "event", event, "nodes", nodes));
        } else {
            gatewayctl.output().line("delivered to " + nodes + (nodes == 1 ? " node" : " nodes") + " holding " + room
                                             + (target.user != null && target.user.deviceId != null
                                                        ? " (device " + target.user.deviceId + ")" : ""));
        }
        return nodes > 0 ? ExitCodes.OK : ExitCodes.NOTHING_MATCHED;
    }
}
