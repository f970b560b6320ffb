// The floor baton-bench compares Baton against: what a hand-rolled live-chat
// transport costs. One Node.js process on the `ws` package, speaking the same endpoints and
// message shapes as Baton's widget and panel, with no storage (messages live in memory only),
// no real auth (any login works; tokens are checked only for shape), no AI and no rate limits.
//
// Usage: node relay.js --listen 127.0.0.1:9000   (prints "listening on ..." when ready)

'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');

const listenArg = process.argv.indexOf('--listen');
const [host, port] = (listenArg > 0 ? process.argv[listenArg + 1] : '127.0.0.1:9000').split(':');

const BOT_ID = 'floor-bot';
const conversations = new Map(); // id -> { id, token, state, agentId, messages, byClientId, subscribers }
const handoffs = new Map(); // id -> { id, conversationId, status, agentId }
const sessions = new Map(); // session token -> { agentId, csrf }
const panels = new Set(); // every panel socket
let nextId = 1;

const newId = (prefix) => `${prefix}-${(nextId++).toString(36)}`;
const token = () => crypto.randomBytes(24).toString('base64url');
const now = () => new Date().toISOString();

function conversationOf(id) {
  return conversations.get(id);
}

/** Appends a message to a conversation's in-memory log and sends it to every subscriber. */
function append(conv, authorKind, clientId, text, authorName) {
  if (clientId && conv.byClientId.has(clientId)) {
    return { message: conv.byClientId.get(clientId), replayed: true };
  }
  const message = {
    id: newId('m'),
    conversation_id: conv.id,
    seq: conv.messages.length + 1,
    kind: authorKind === 'system' ? 'system' : 'text',
    author_kind: authorKind,
    author_name: authorName ?? null,
    text,
    client_id: clientId ?? null,
    data: null,
    created_at: now(),
  };
  conv.messages.push(message);
  if (clientId) conv.byClientId.set(clientId, message);
  const frame = JSON.stringify({ type: 'message', message });
  for (const ws of conv.subscribers) ws.send(frame);
  return { message, replayed: false };
}

function replay(ws, conv, after) {
  for (const message of conv.messages) {
    if (message.seq > after) ws.send(JSON.stringify({ type: 'message', message }));
  }
}

function broadcastPanels(value) {
  const frame = JSON.stringify(value);
  for (const ws of panels) ws.send(frame);
}

function reply(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function readJson(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {});
      } catch {
        resolve({});
      }
    });
  });
}

function cookieSession(req) {
  const match = /baton_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return match ? sessions.get(match[1]) : undefined;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://floor');
  const parts = url.pathname.split('/').filter(Boolean); // ['api','v1',...]
  const body = req.method === 'POST' ? await readJson(req) : {};
  const route = `${req.method} /${parts.slice(2).join('/')}`;

  if (url.pathname === '/healthz') return reply(res, 200, 'ok');
  if (route === 'POST /auth/login') {
    const session = token();
    const agentId = `agent-${body.email}`;
    const csrf = token();
    sessions.set(session, { agentId, csrf });
    return reply(res, 200, { agent: { id: agentId, email: body.email }, csrf_token: csrf }, {
      'set-cookie': `baton_session=${session}; HttpOnly; SameSite=Strict; Path=/`,
    });
  }
  if (route === 'GET /bots') return reply(res, 200, { bots: [{ id: BOT_ID, name: 'Floor bot' }] });
  if (route === 'POST /agents') {
    return reply(res, 201, { agent: { id: `agent-${body.email}`, email: body.email } });
  }
  if (route === 'POST /widget/conversations') {
    const conv = {
      id: newId('c'),
      token: token(),
      state: 'ai',
      agentId: null,
      messages: [],
      byClientId: new Map(),
      subscribers: new Set(),
    };
    conversations.set(conv.id, conv);
    return reply(res, 201, {
      conversation: { id: conv.id, bot_id: BOT_ID, state: conv.state, last_seq: 0 },
      token: conv.token,
      bot: { id: BOT_ID, name: 'Floor bot' },
    });
  }
  // /api/v1/widget/conversations/{id}/handoff
  if (req.method === 'POST' && parts[2] === 'widget' && parts[5] === 'handoff') {
    const conv = conversationOf(parts[4]);
    if (!conv || req.headers.authorization !== `Bearer ${conv.token}`) return reply(res, 404, {});
    const handoff = { id: newId('h'), conversation_id: conv.id, status: 'waiting', agent_id: null };
    handoffs.set(handoff.id, handoff);
    conv.state = 'waiting';
    const { message } = append(conv, 'system', null, "I'm connecting you with a person.");
    broadcastPanels({ type: 'handoff_requested', handoff: { ...handoff, trigger: 'user_request' } });
    return reply(res, 202, { handoff, state: conv.state, messages: [message] });
  }
  // /api/v1/handoffs/{id}/accept
  if (route.startsWith('POST /handoffs/') && parts[4] === 'accept') {
    const session = cookieSession(req);
    if (!session) return reply(res, 401, {});
    const handoff = handoffs.get(parts[3]);
    if (!handoff) return reply(res, 404, {});
    if (handoff.status !== 'waiting') return reply(res, 409, { error: { code: 'conflict' } });
    handoff.status = 'accepted';
    handoff.agent_id = session.agentId;
    const conv = conversationOf(handoff.conversation_id);
    conv.state = 'human';
    conv.agentId = session.agentId;
    append(conv, 'system', null, 'An agent joined the chat.');
    broadcastPanels({
      type: 'handoff_taken',
      handoff_id: handoff.id,
      conversation_id: conv.id,
      agent_id: session.agentId,
    });
    return reply(res, 200, { handoff, conversation: { id: conv.id, state: conv.state } });
  }
  // /api/v1/conversations/{id}/resolve
  if (route.startsWith('POST /conversations/') && parts[4] === 'resolve') {
    const conv = conversationOf(parts[3]);
    if (!conv || !cookieSession(req)) return reply(res, 404, {});
    conv.state = 'closed';
    return reply(res, 200, { id: conv.id, state: conv.state });
  }
  return reply(res, 404, { error: { code: 'not_found' } });
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://floor');
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[2] === 'widget' && parts[5] === 'ws') {
    const conv = conversationOf(parts[4]);
    if (!conv || url.searchParams.get('token') !== conv.token) {
      socket.destroy();
      return;
    }
    const after = Number(url.searchParams.get('after') ?? 0);
    wss.handleUpgrade(req, socket, head, (ws) => visitorSocket(ws, conv, after));
  } else if (url.pathname === '/api/v1/panel/ws') {
    const session = cookieSession(req);
    if (!session) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => panelSocket(ws, session));
  } else {
    socket.destroy();
  }
});

function error(ws, code, clientId) {
  ws.send(JSON.stringify({ type: 'error', client_id: clientId ?? null, error: { code, message: code } }));
}

function visitorSocket(ws, conv, after) {
  conv.subscribers.add(ws);
  replay(ws, conv, after);
  ws.send(JSON.stringify({ type: 'state', conversation_id: conv.id, state: conv.state, agent_name: null }));
  ws.send(JSON.stringify({ type: 'ready', last_seq: conv.messages.length }));
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return error(ws, 'invalid');
    }
    if (frame.type === 'ping') return ws.send('{"type":"pong"}');
    if (frame.type !== 'send' || typeof frame.client_id !== 'string' || typeof frame.text !== 'string') {
      return error(ws, 'invalid', frame.client_id);
    }
    const { message } = append(conv, 'visitor', frame.client_id, frame.text);
    ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id, message }));
  });
  ws.on('close', () => conv.subscribers.delete(ws));
}

function panelSocket(ws, session) {
  panels.add(ws);
  const followed = new Set();
  const waiting = [...handoffs.values()].filter((h) => h.status === 'waiting');
  ws.send(JSON.stringify({ type: 'hello', agent: { id: session.agentId }, handoffs: waiting }));
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return error(ws, 'invalid');
    }
    const conv = conversationOf(frame.conversation_id);
    switch (frame.type) {
      case 'ping':
        return ws.send('{"type":"pong"}');
      case 'subscribe':
        if (!conv) return error(ws, 'not_found');
        conv.subscribers.add(ws);
        followed.add(conv);
        return replay(ws, conv, Number(frame.after ?? 0));
      case 'unsubscribe':
        if (conv) {
          conv.subscribers.delete(ws);
          followed.delete(conv);
        }
        return undefined;
      case 'send': {
        if (!conv) return error(ws, 'not_found', frame.client_id);
        if (conv.state !== 'human' || conv.agentId !== session.agentId) {
          return error(ws, 'conflict', frame.client_id);
        }
        const { message } = append(conv, 'agent', frame.client_id, frame.text, 'Agent');
        return ws.send(JSON.stringify({ type: 'ack', client_id: frame.client_id, message }));
      }
      default:
        return error(ws, 'invalid', frame.client_id);
    }
  });
  ws.on('close', () => {
    panels.delete(ws);
    for (const conv of followed) conv.subscribers.delete(ws);
  });
}

server.listen(Number(port), host, () => {
  console.log(`floor relay listening on ${host}:${port}`);
});
