// The demo chat (development mode only): the gateway's native protocol over a plain WebSocket to /ws.
// Frames are JSON objects {event, data, ack}; see PROTOCOL.md sections 2 to 5.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  me: null, room: null, token: null, socket: null, ackSeq: 0, acks: new Map(), lastId: null,
  known: new Set(), online: new Set(), typing: new Map(), pingTimer: null, retry: 0, leaving: false,
  lastTypingSent: 0, typingStop: null,
};

// ---- connection

async function tokenFor(name) {
  const typed = $("token").value.trim();
  if (typed) return typed;
  const response = await fetch("/demo/token?user=" + encodeURIComponent(name));
  const body = await response.json().catch(() => ({}));
  if (response.ok) return body.token;
  if (response.status === 404) {
    $("token-label").classList.remove("hidden");
    throw new Error("Paste a token for " + name + " (this gateway does not mint demo tokens).");
  }
  throw new Error(body.message || "cannot get a token (" + response.status + ")");
}

function connect() {
  status("connecting");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(scheme + "://" + location.host + "/ws?access_token=" + encodeURIComponent(state.token));
  state.socket = socket;
  socket.onmessage = (message) => onFrame(JSON.parse(message.data));
  socket.onclose = (close) => onClose(socket, close);
}

function send(event, data) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify({ event, data }));
  }
}

function request(event, data) {
  return new Promise((resolve) => {
    const ack = ++state.ackSeq;
    state.acks.set(ack, resolve);
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify({ event, data, ack }));
    } else {
      state.acks.delete(ack);
      resolve({ success: false, error: { code: "OFFLINE", message: "not connected" } });
    }
  });
}

function onClose(socket, close) {
  if (socket !== state.socket) return;
  clearInterval(state.pingTimer);
  status("offline");
  state.acks.forEach((resolve) => resolve({ success: false, error: { code: "OFFLINE", message: "disconnected" } }));
  state.acks.clear();
  if (state.leaving) return;
  if (close.code === 4401 || close.code === 4403) {
    notice(close.code === 4401 ? "Your token expired: join again." : "Disconnected by an operator.");
    return;
  }
  const delay = Math.min(10000, 500 * 2 ** state.retry++);
  notice("Connection lost; reconnecting in " + Math.round(delay / 1000) + " s…");
  setTimeout(() => { if (!state.leaving) connect(); }, delay);
}

async function onFrame(frame) {
  const data = frame.data || {};
  switch (frame.event) {
    case "ack": {
      const resolve = state.acks.get(frame.ack);
      state.acks.delete(frame.ack);
      if (resolve) resolve(data);
      break;
    }
    case "connected":
      state.retry = 0;
      status("online");
      clearInterval(state.pingTimer);
      // only presence:ping keeps a user online (PROTOCOL section 5)
      state.pingTimer = setInterval(() => send("presence:ping", {}), data.heartbeatIntervalMs || 25000);
      await joinRoom();
      break;
    case "chat:message":
      addMessage(data);
      meet([data.senderId]);
      clearTyping(data.senderId);
      break;
    case "chat:typing":
      meet([data.userId]);
      if (data.isTyping) showTyping(data.userId); else clearTyping(data.userId);
      break;
    case "chat:user-joined":
      if (data.userId !== state.me) {
        notice(data.userId + " joined");
        state.online.add(data.userId);
        meet([data.userId]);
        // let the newcomer know we are here too: a typing stop reaches everyone in the room but us
        send("chat:typing", { chatId: state.room, isTyping: false });
      }
      break;
    case "chat:user-left":
      if (data.userId !== state.me) {
        notice(data.userId + " left");
        state.online.delete(data.userId);
        clearTyping(data.userId);
      }
      break;
    case "presence:online":
      state.online.add(data.userId);
      break;
    case "presence:offline":
      state.online.delete(data.userId);
      clearTyping(data.userId);
      break;
    case "error":
      notice("Error: " + (data.message || data.code));
      break;
  }
  renderPeople();
}

async function joinRoom() {
  const joined = await request("chat:join", state.lastId ? { chatId: state.room, sinceId: state.lastId }
                                                          : { chatId: state.room });
  if (!joined.success) {
    notice("Cannot join: " + joined.error.message);
    return;
  }
  if (state.lastId) {
    (joined.missed || []).forEach(addMessage);
  } else {
    const history = await request("chat:history", { chatId: state.room, limit: 50 });
    (history.messages || []).slice().reverse().forEach(addMessage);
  }
  meet([...state.known]);
}

/** Follows the presence of users met in the room; the ack says who of them is online now. */
async function meet(userIds) {
  const fresh = userIds.filter((id) => id && id !== state.me && !state.known.has(id));
  fresh.forEach((id) => state.known.add(id));
  const ask = userIds.length > 1 ? userIds.filter((id) => id !== state.me) : fresh;
  if (ask.length === 0) return;
  const answer = await request("presence:subscribe", { userIds: ask });
  (answer.online || []).forEach((id) => state.online.add(id));
  renderPeople();
}

// ---- rendering

function status(kind) {
  $("status").className = "status " + kind;
  $("status").textContent = kind;
}

function colour(name) {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return "hsl(" + (hash % 360) + " 55% 52%)";
}

function avatar(name) {
  const span = document.createElement("span");
  span.className = "avatar";
  span.style.background = colour(name);
  span.textContent = name.slice(0, 1).toUpperCase();
  return span;
}

function addMessage(message) {
  if (document.querySelector('[data-id="' + CSS.escape(message.id) + '"]')) return;
  state.lastId = message.id;
  const li = document.createElement("li");
  li.className = "message" + (message.senderId === state.me ? " mine" : "");
  li.dataset.id = message.id;
  const body = document.createElement("div");
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = message.senderId + " · " + new Date(message.createdAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  bubble.textContent = message.content;
  body.append(meta, bubble);
  li.append(avatar(message.senderId), body);
  append(li);
}

function notice(text) {
  const li = document.createElement("li");
  li.className = "notice";
  li.textContent = text;
  append(li);
}

function append(li) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.append(li);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderPeople() {
  const list = $("online");
  const people = [state.me, ...[...state.online].filter((id) => id !== state.me).sort()];
  list.replaceChildren(...people.filter(Boolean).map((id) => {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = id === state.me ? id + " (you)" : id;
    const dot = document.createElement("span");
    dot.className = "dot";
    li.append(avatar(id), name, dot);
    return li;
  }));
  $("online-count").textContent = String(people.filter(Boolean).length);
}

function showTyping(userId) {
  clearTimeout(state.typing.get(userId));
  state.typing.set(userId, setTimeout(() => clearTyping(userId), 4000));
  renderTyping();
}

function clearTyping(userId) {
  clearTimeout(state.typing.get(userId));
  state.typing.delete(userId);
  renderTyping();
}

function renderTyping() {
  const names = [...state.typing.keys()];
  $("typing").textContent = names.length === 0 ? ""
      : names.length === 1 ? names[0] + " is typing…"
      : names.slice(0, -1).join(", ") + " and " + names.at(-1) + " are typing…";
}

// ---- the page's forms

$("join-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("join-error").textContent = "";
  $("join-button").disabled = true;
  try {
    state.me = $("name").value.trim();
    state.room = $("room").value.trim();
    state.token = await tokenFor(state.me);
    state.leaving = false;
    $("me").textContent = state.me;
    $("room-name").textContent = state.room;
    $("join").classList.add("hidden");
    $("chat").classList.remove("hidden");
    renderPeople();
    connect();
    $("message").focus();
  } catch (error) {
    $("join-error").textContent = error.message;
  } finally {
    $("join-button").disabled = false;
  }
});

$("send-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const content = $("message").value.trim();
  if (!content) return;
  $("message").value = "";
  stopTyping();
  const answer = await request("chat:send", { chatId: state.room, content, clientMsgId: crypto.randomUUID() });
  if (!answer.success) notice("Not sent: " + answer.error.message);
});

$("message").addEventListener("input", () => {
  const now = Date.now();
  if (now - state.lastTypingSent > 2000) {
    state.lastTypingSent = now;
    send("chat:typing", { chatId: state.room, isTyping: true });
  }
  clearTimeout(state.typingStop);
  state.typingStop = setTimeout(stopTyping, 3000);
});

function stopTyping() {
  clearTimeout(state.typingStop);
  if (state.lastTypingSent) {
    state.lastTypingSent = 0;
    send("chat:typing", { chatId: state.room, isTyping: false });
  }
}

$("leave").addEventListener("click", () => {
  state.leaving = true;
  if (state.socket) state.socket.close(1000, "left");
  Object.assign(state, { lastId: null, known: new Set(), online: new Set() });
  state.typing.forEach(clearTimeout);
  state.typing.clear();
  $("messages").replaceChildren();
  $("chat").classList.add("hidden");
  $("join").classList.remove("hidden");
});
