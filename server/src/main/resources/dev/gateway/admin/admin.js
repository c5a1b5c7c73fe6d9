// The gateway's admin page: only the server API (/api/v1/), with the key from this tab's session storage.
"use strict";

const KEY_STORAGE = "gateway.apiKey";
const REFRESH_MS = 2000;
const $ = (id) => document.getElementById(id);
let selectedUser = null;
let timer = null;

function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

class Unauthorized extends Error {}

async function api(method, path, body) {
  const init = { method, headers: { Authorization: "Bearer " + apiKey() }, cache: "no-store" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch("/api/v1" + path, init);
  if (response.status === 401) {
    throw new Unauthorized();
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((json && (json.message || json.error)) || "HTTP " + response.status);
    error.status = response.status;
    throw error;
  }
  return json;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? "–" : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

function button(row, label, onClick, className) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.className = className || "danger";
  b.addEventListener("click", onClick);
  row.insertCell().appendChild(b);
  return b;
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : "–";
}

function renderNodes(nodes) {
  const body = $("nodes").tBodies[0];
  body.replaceChildren();
  for (const node of nodes) {
    const row = body.insertRow();
    row.dataset.node = node.nodeId;
    cell(row, node.nodeId, "mono");
    cell(row, node.host ? node.host + ":" + node.port : null);
    cell(row, node.connections, "sockets");
    cell(row, time(node.lastHeartbeat));
    cell(row, node.alive ? "yes" : "no", node.alive ? "alive-yes" : "alive-no");
  }
}

function renderUsers(online) {
  $("online-count").textContent = online.count;
  const list = $("users");
  list.replaceChildren();
  for (const user of online.users) {
    const li = document.createElement("li");
    li.dataset.user = user.userId;
    li.classList.toggle("selected", user.userId === selectedUser);
    const b = document.createElement("button");
    b.type = "button";
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = user.userId;
    const sockets = document.createElement("span");
    sockets.className = "sockets";
    sockets.textContent = user.sockets + (user.sockets === 1 ? " socket" : " sockets");
    b.append(name, sockets);
    b.addEventListener("click", () => select(user.userId));
    li.appendChild(b);
    list.appendChild(li);
  }
}

function renderUser(presence, sockets) {
  $("user-panel").hidden = false;
  $("user-id").textContent = presence.userId;
  $("user-summary").textContent = (presence.online ? "online" : "offline") + ", " + presence.sockets
      + (presence.sockets === 1 ? " socket" : " sockets") + (presence.lastSeen ? ", last seen " + time(presence.lastSeen) : "");
  const devices = $("devices").tBodies[0];
  devices.replaceChildren();
  for (const device of presence.devices) {
    const row = devices.insertRow();
    row.dataset.device = device.deviceId;
    cell(row, device.deviceId, "mono");
    cell(row, device.deviceName);
    cell(row, device.sockets);
    cell(row, time(device.lastSeen));
    button(row, "Disconnect device", () => disconnect({ userId: presence.userId, deviceId: device.deviceId }))
        .classList.add("disconnect-device");
  }
  const body = $("sockets").tBodies[0];
  body.replaceChildren();
  for (const socket of sockets) {
    const row = body.insertRow();
    row.dataset.socket = socket.socketId;
    cell(row, socket.socketId, "mono");
    cell(row, socket.deviceId);
    cell(row, socket.serverId, "mono");
    cell(row, socket.ipAddress);
    cell(row, time(socket.connectedAt));
    button(row, "Disconnect", () => disconnect({ socketId: socket.socketId })).classList.add("disconnect-socket");
  }
}

function renderResults(results) {
  const body = $("results").tBodies[0];
  for (const result of results) {
    const row = body.insertRow(0);
    row.dataset.socket = result.socketId;
    cell(row, result.socketId, "mono");
    cell(row, result.userId);
    cell(row, result.serverId, "mono");
    cell(row, result.result, "result result-" + result.result);
  }
}

async function disconnect(target) {
  try {
    renderResults(await api("POST", "/disconnect", { ...target, reason: "disconnected from the admin page", timeoutMs: 5000 }));
  } catch (e) {
    if (e instanceof Unauthorized) {
      return signOut("The key was refused.");
    }
    renderResults([{ socketId: target.socketId || "–", userId: target.userId || "–", serverId: "–", result: e.message }]);
  }
  refresh();
}

function select(userId) {
  selectedUser = userId;
  refresh();
}

async function refresh() {
  try {
    const search = $("search").value.trim();
    const [nodes, online] = await Promise.all([
      api("GET", "/nodes"),
      api("GET", "/presence/online?limit=500" + (search ? "&search=" + encodeURIComponent(search) : "")),
    ]);
    renderNodes(nodes);
    renderUsers(online);
    if (selectedUser) {
      const user = encodeURIComponent(selectedUser);
      const [presence, sockets] = await Promise.all([
        api("GET", "/users/" + user + "/presence"),
        api("GET", "/connections?userId=" + user),
      ]);
      renderUser(presence, sockets);
    }
    $("status").textContent = "live, updated " + new Date().toLocaleTimeString();
    $("status").className = "status live";
  } catch (e) {
    if (e instanceof Unauthorized) {
      return signOut("The key was refused.");
    }
    $("status").textContent = e.status === 503 ? "gateway cannot reach Redis" : "error: " + e.message;
    $("status").className = "status error";
  }
}

function signIn() {
  $("key-form").hidden = true;
  $("main").hidden = false;
  $("sign-out").hidden = false;
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
}

function signOut(message) {
  clearInterval(timer);
  sessionStorage.removeItem(KEY_STORAGE);
  $("main").hidden = true;
  $("sign-out").hidden = true;
  $("key-form").hidden = false;
  $("key-error").textContent = message || "";
  $("status").textContent = "not signed in";
  $("status").className = "status";
  $("key").focus();
}

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $("key").value.trim());
    $("key").value = "";
    $("key-error").textContent = "";
    signIn();
  });
  $("sign-out").addEventListener("click", () => signOut());
  $("search").addEventListener("input", () => refresh());
  $("disconnect-user").addEventListener("click", () => disconnect({ userId: selectedUser }));
  if (apiKey()) {
    signIn();
  } else {
    signOut();
  }
});
