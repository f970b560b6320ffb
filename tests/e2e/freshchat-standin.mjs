// A small local FreshChat stand-in for the browser tests, following the contract in
// docs/freshchat.md (the Rust integration tests have the complete one): bearer auth, users,
// channels, agents, conversations and messages under /v2, and webhooks signed with its own RSA
// key (PKCS#1 v1.5, SHA-256 over the exact body). `agentReply` plays an agent typing in
// FreshChat's inbox.

import { createServer } from 'node:http';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';

export const TOKEN = 'eyJ-e2e-freshchat-token';
export const CHANNEL = 'c8fddfaf-622a-4a0e-b060-4f3ccbeab606';
export const AGENT = { id: 'fba1873d-0000-4000-8000-0000000000e2', first_name: 'Ana', last_name: 'Lima', email: 'ana@example.com' };

/** Starts the stand-in on a free port of 127.0.0.1; resolves with its handle. */
export function startFreshchat() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const state = { users: [], conversations: new Map(), webhookUrl: null };
  const now = () => new Date().toISOString();
  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res, status, code, message) => json(res, status, { code: status, status: code, message });

  async function webhook(body) {
    if (!state.webhookUrl) return;
    const text = JSON.stringify(body);
    const signature = sign('sha256', Buffer.from(text), privateKey).toString('base64');
    await fetch(state.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Freshchat-Signature': signature, 'X-Freshchat-Payload-Version': '2', 'X-Retry-Count': '0' },
      body: text,
    }).catch(() => {});
  }

  function store(conversationId, message) {
    const conversation = state.conversations.get(conversationId);
    const stored = { ...message, id: randomUUID(), created_time: now(), conversation_id: conversationId, channel_id: CHANNEL, message_type: message.message_type || 'normal', user_id: conversation.users[0].id };
    conversation.messages.push(stored);
    return stored;
  }

  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url, 'http://stand-in');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return fail(res, 401, 'UNAUTHORIZED', 'invalid token');
    const body = raw ? JSON.parse(raw) : null;
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v2') return fail(res, 404, 'NOT_FOUND', 'not found');
    const [, what, id, sub] = parts;
    if (what === 'users' && req.method === 'GET' && !id) {
      const ref = url.searchParams.get('reference_id');
      if (!ref) return fail(res, 400, 'INVALID_VALUE', 'a filter is required');
      return json(res, 200, { users: state.users.filter((u) => u.reference_id === ref), links: {} });
    }
    if (what === 'users' && req.method === 'POST') {
      const user = { ...body, id: randomUUID(), created_time: now() };
      state.users.push(user);
      return json(res, 200, user);
    }
    if (what === 'channels') return json(res, 200, { channels: [{ id: CHANNEL, name: 'Support', enabled: true }], links: {} });
    if (what === 'agents' && id === AGENT.id) return json(res, 200, AGENT);
    if (what === 'conversations' && req.method === 'POST' && !id) {
      if (body.channel_id !== CHANNEL) return fail(res, 400, 'INVALID_VALUE', 'invalid channel_id');
      const user = body.users && body.users[0] && state.users.find((u) => u.id === body.users[0].id);
      if (!user) return fail(res, 400, 'INVALID_VALUE', 'user not found');
      const conversationId = randomUUID();
      state.conversations.set(conversationId, { conversation_id: conversationId, channel_id: CHANNEL, status: 'new', users: [{ id: user.id }], messages: [] });
      const messages = (body.messages || []).map((m) => store(conversationId, m));
      return json(res, 200, { ...state.conversations.get(conversationId), messages });
    }
    if (what === 'conversations' && sub === 'messages' && req.method === 'POST') {
      if (!state.conversations.has(id)) return fail(res, 404, 'CONVERSATION_NOT_FOUND', 'not found');
      const message = store(id, body);
      json(res, 200, message);
      webhook({ actor: { actor_type: message.actor_type, actor_id: message.actor_id }, action: 'message_create', action_time: now(), data: { message } });
      return undefined;
    }
    return fail(res, 404, 'NOT_FOUND', 'not found');
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        host: `127.0.0.1:${port}`,
        baseUrl: `http://127.0.0.1:${port}/v2`,
        token: TOKEN,
        publicKey: `-----BEGIN RSA PUBLIC KEY----- ${spki} -----END RSA PUBLIC KEY-----`,
        state,
        setWebhookUrl(u) {
          state.webhookUrl = u;
        },
        /** The visitor texts FreshChat received in a conversation, in order. */
        userTexts(conversationId) {
          return state.conversations.get(conversationId).messages.filter((m) => m.actor_type === 'user').map((m) => m.message_parts[0].text.content);
        },
        async agentReply(conversationId, text) {
          const message = store(conversationId, { message_parts: [{ text: { content: text } }], actor_type: 'agent', actor_id: AGENT.id, message_type: 'normal' });
          await webhook({ actor: { actor_type: 'agent', actor_id: AGENT.id }, action: 'message_create', action_time: now(), data: { message } });
        },
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}
