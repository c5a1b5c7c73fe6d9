// Benchmark peer: opens many authenticated WebSocket clients against one or more gateway nodes.
//
//   node peer.js connect --n 10000 --ports 8080 [--hold 30]
//       opens n sockets (spread over 127.0.0.1..127.0.0.8 so ephemeral ports last), reports connects/s,
//       keeps them open and pinging for --hold seconds (the caller measures the gateway meanwhile).
//   node peer.js room --members 1000 --ports 8080,8081 --senders 5 --rate 500 --duration 20
//       members join one chat (split round-robin over the ports); senders send --rate messages/s in total;
//       every member records send-to-receive latency; reports deliveries/s and p50/p99.
//
// Tokens are HS256, signed with JWT_SECRET or the development secret the gateway uses with GATEWAY_DEV_MODE=true.
'use strict';
const WebSocket = require('ws');
const crypto = require('crypto');

const SECRET = process.env.JWT_SECRET || 'gateway-development-secret-do-not-use-in-prod!!';
const args = parseArgs(process.argv.slice(3));
const mode = process.argv[2];

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) out[list[i].replace(/^--/, '')] = list[i + 1];
  return out;
}

function token(sub) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = b64({ alg: 'HS256', typ: 'JWT' }) + '.' + b64({ sub, iat: now, exp: now + 3600 });
  return body + '.' + crypto.createHmac('sha256', SECRET).update(body).digest('base64url');
}

function connect(port, user, index, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?access_token=${token(user)}`, {
      localAddress: `127.0.0.${1 + (index % 8)}`,
      perMessageDeflate: false,
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (!ws.connected && text.startsWith('{"event":"connected"')) {
        ws.connected = true;
        resolve(ws);
      }
      if (onFrame) onFrame(ws, text);
    });
    ws.on('error', reject);
    ws.on('unexpected-response', (req, res) => reject(new Error('HTTP ' + res.statusCode)));
  });
}

async function pool(total, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < total) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function connectMode() {
  const n = Number(args.n || 1000);
  const ports = (args.ports || '8080').split(',');
  const hold = Number(args.hold || 0);
  const sockets = [];
  const started = process.hrtime.bigint();
  await pool(n, Number(args.concurrency || 100), async (i) => {
    sockets.push(await connect(ports[i % ports.length], `bench-user-${i}`, i));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ mode: 'connect', sockets: n, seconds: +seconds.toFixed(2), connectsPerSecond: Math.round(n / seconds) }));
  if (hold > 0) {
    const timer = setInterval(() => sockets.forEach((ws) => ws.send('{"event":"presence:ping"}')), 10_000);
    console.log('holding');
    await new Promise((r) => setTimeout(r, hold * 1000));
    clearInterval(timer);
  }
  sockets.forEach((ws) => ws.terminate());
  process.exit(0);
}

async function roomMode() {
  const members = Number(args.members || 1000);
  const ports = (args.ports || '8080').split(',');
  const senders = Number(args.senders || 5);
  const rate = Number(args.rate || 200);
  const duration = Number(args.duration || 10);
  const chatId = args.chat || `bench-${Date.now()}`;
  const latencies = [];
  let deliveries = 0;
  let measuring = false;
  const onFrame = (ws, text) => {
    if (!text.startsWith('{"event":"chat:message"')) return;
    const m = /"content":"(\d+)"/.exec(text);
    if (m && measuring) {
      deliveries++;
      latencies.push(Number(process.hrtime.bigint() / 1000n) - Number(m[1]));
    }
  };
  const sockets = [];
  await pool(members, 100, async (i) => {
    const ws = await connect(ports[i % ports.length], `member-${i}`, i, onFrame);
    await request(ws, 'chat:join', { chatId });
    sockets.push(ws);
  });
  console.error(`joined ${members} members on ports ${ports.join(',')}`);
  measuring = true;
  const interval = 1000 / (rate / senders);
  const started = Date.now();
  let sent = 0;
  const timers = sockets.slice(0, senders).map((ws) => setInterval(() => {
    ws.send(JSON.stringify({ event: 'chat:send', data: { chatId, content: String(process.hrtime.bigint() / 1000n) } }));
    sent++;
  }, interval));
  await new Promise((r) => setTimeout(r, duration * 1000));
  timers.forEach(clearInterval);
  await new Promise((r) => setTimeout(r, 2000));
  measuring = false;
  const seconds = (Date.now() - started) / 1000 - 2;
  latencies.sort((a, b) => a - b);
  console.log(JSON.stringify({
    mode: 'room', members, nodes: ports.length, messagesSent: sent, expectedDeliveries: sent * members, deliveries,
    deliveriesPerSecond: Math.round(deliveries / seconds),
    p50ms: +(percentile(latencies, 50) / 1000).toFixed(2), p99ms: +(percentile(latencies, 99) / 1000).toFixed(2),
    maxms: +((latencies[latencies.length - 1] || 0) / 1000).toFixed(2),
  }));
  sockets.forEach((ws) => ws.terminate());
  process.exit(0);
}

let ackIds = 0;
function request(ws, event, data) {
  return new Promise((resolve) => {
    const id = ++ackIds;
    const listener = (raw) => {
      const text = raw.toString();
      if (text.startsWith('{"event":"ack","ack":' + id + ',')) {
        ws.off('message', listener);
        resolve(JSON.parse(text).data);
      }
    };
    ws.on('message', listener);
    ws.send(JSON.stringify({ event, data, ack: id }));
  });
}

({ connect: connectMode, room: roomMode }[mode] || (() => { console.error('usage: node peer.js connect|room [options]'); process.exit(2); }))()
  .catch((e) => { console.error(e); process.exit(1); });
