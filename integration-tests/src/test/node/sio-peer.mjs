// A real socket.io-client driven by the Socket.IO integration tests (dev.gateway.it.socketio.SioClient).
// Commands arrive on stdin, one JSON object per line; everything the client sees leaves on stdout, one JSON object
// per line. One process holds one client.
//
//   {"op":"connect","url":"http://127.0.0.1:8080","auth":{"token":"..."},"query":{...},"extraHeaders":{...}}
//   {"op":"emit","event":"chat:send","data":{...},"seq":3}       seq present: with a Socket.IO ack callback
//   {"op":"disconnect"}
//   {"op":"transport"}                                            reports socket.io.engine.transport.name
//
//   "transports" defaults to ["websocket"]; "default" leaves socket.io-client's own default (polling, then upgrade).
//
//   {"type":"connect","id":"..."}   {"type":"connect_error","message":"...","data":...}
//   {"type":"event","event":"chat:message","data":{...}}          every server event (onAny)
//   {"type":"ack","seq":3,"data":{...}}
//   {"type":"disconnect","reason":"io server disconnect","code":4403}
//   {"type":"ping"}                                               an Engine.IO ping arrived (and was answered)
//   {"type":"upgrade","transport":"websocket"}                    the Engine.IO session moved to a WebSocket
//   {"type":"transport","name":"polling"}
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

let socket;
const out = (line) => process.stdout.write(JSON.stringify(line) + "\n");

function connect(command) {
  const options = {
    auth: command.auth,
    query: command.query,
    extraHeaders: command.extraHeaders,
    reconnection: command.reconnection ?? false,
    forceNew: true,
  };
  if (command.transports !== "default") {
    options.transports = command.transports ?? ["websocket"];
  }
  socket = io(command.url, options);
  // the manager's open comes before the engine starts its upgrade probe
  socket.io.on("open", () => socket.io.engine.on("upgrade", (transport) => out({ type: "upgrade", transport: transport.name })));
  socket.on("connect", () => {
    out({ type: "connect", id: socket.id });
    socket.io.engine.on("ping", () => out({ type: "ping" }));
  });
  socket.on("connect_error", (err) => out({ type: "connect_error", message: err.message, data: err.data ?? null }));
  socket.on("disconnect", (reason, details) => {
    out({ type: "disconnect", reason, code: details?.context?.code ?? null, description: details?.description ?? null });
  });
  socket.onAny((event, data) => out({ type: "event", event, data: data ?? null }));
}

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const command = JSON.parse(line);
  try {
    switch (command.op) {
      case "connect":
        connect(command);
        break;
      case "emit":
        if (command.seq === undefined) {
          socket.emit(command.event, command.data);
        } else {
          socket.emit(command.event, command.data, (ack) => out({ type: "ack", seq: command.seq, data: ack ?? null }));
        }
        break;
      case "transport":
        out({ type: "transport", name: socket.io.engine?.transport?.name ?? null });
        break;
      case "disconnect":
        socket.disconnect();
        break;
      default:
        out({ type: "failure", message: "unknown op " + command.op });
    }
  } catch (e) {
    out({ type: "failure", message: String(e) });
  }
}).on("close", () => {
  socket?.disconnect();
  process.exit(0);
});
