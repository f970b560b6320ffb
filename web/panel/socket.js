/*
 * The panel WebSocket (docs/websocket.md): connecting, heartbeats, reconnecting, and sending each
 * frame to the view it concerns.
 */

import { API } from '../shared/api.js';
import { $ } from '../shared/dom.js';
import {
  dropDraft,
  onDelta,
  onMessage,
  onState,
  onTyping,
  paintChat,
  pump,
  subscribe,
} from './conversation.js';
import { isMine, loadConversations, upsertConversation } from './conversations.js';
import { api, describe } from './http.js';
import { toast } from './notify.js';
import { onHandoffEscalated, onHandoffRequested, reloadQueue, removeHandoff, renderQueue } from './queue.js';
import { sessionExpired } from './session.js';
import { S } from './state.js';
import { paintStatus } from './status.js';
import { onTeamPresence } from './team.js';
import { loadTickets, onTicketEvent } from './tickets.js';

const WS_URL = location.origin.replace(/^http/, 'ws') + API + '/panel/ws';
/** The close code of a panel socket whose session ended (docs/websocket.md). */
const SESSION_ENDED_CLOSE = 4401;

function setConnection(state, text) {
  const el = $('connection');
  el.dataset.state = state;
  el.textContent = text;
}

export function connect() {
  if (S.ws || !S.agent) return;
  clearTimeout(S.reconnectTimer);
  S.reconnectTimer = null;
  let ws;
  try {
    ws = new WebSocket(WS_URL);
  } catch (_) {
    scheduleReconnect();
    return;
  }
  S.ws = ws;
  S.wsReady = false;
  if (S.reconnectAttempt === 0) setConnection('connecting', 'Connecting…');
  ws.addEventListener('message', (ev) => {
    if (S.ws !== ws) return;
    let frame;
    try {
      frame = JSON.parse(ev.data);
    } catch (_) {
      return;
    }
    onFrame(frame);
  });
  ws.addEventListener('close', (ev) => {
    if (S.ws !== ws) return;
    S.ws = null;
    S.wsReady = false;
    stopHeartbeat();
    for (const chat of S.chats.values()) chat.subscribed = false;
    // The session ended (logged out elsewhere, deactivated, password reset): sign in again.
    if (ev.code === SESSION_ENDED_CLOSE) {
      sessionExpired();
      return;
    }
    scheduleReconnect();
  });
}

export function disconnect() {
  clearTimeout(S.reconnectTimer);
  S.reconnectTimer = null;
  stopHeartbeat();
  const ws = S.ws;
  S.ws = null;
  S.wsReady = false;
  if (ws) ws.close(1000);
}

export function wsSend(frame) {
  if (S.ws && S.ws.readyState === WebSocket.OPEN) {
    S.ws.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

async function scheduleReconnect() {
  if (!S.agent || S.reconnectTimer) return;
  S.reconnectAttempt += 1;
  if (S.reconnectAttempt === 2 || S.reconnectAttempt % 5 === 0) {
    // The socket cannot say why it was refused: ask whether the session is still valid.
    try {
      await api('GET', '/me');
    } catch (err) {
      if (err.status === 401) return;
    }
    if (!S.agent) return;
  }
  const base = Math.min(30000, 1000 * 2 ** Math.min(S.reconnectAttempt - 1, 5));
  const delay = Math.round(base * (0.5 + Math.random() / 2));
  setConnection('reconnecting', 'Reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s…');
  S.reconnectTimer = setTimeout(() => {
    S.reconnectTimer = null;
    connect();
  }, delay);
}

export function reconnectNow() {
  if (!S.agent || S.ws) return;
  S.reconnectAttempt = 0;
  connect();
}

function startHeartbeat() {
  stopHeartbeat();
  S.heartbeat = setInterval(() => {
    wsSend({ type: 'ping' });
    clearTimeout(S.pongTimer);
    S.pongTimer = setTimeout(() => {
      if (S.ws) S.ws.close();
    }, 10000);
  }, 25000);
}

function stopHeartbeat() {
  clearInterval(S.heartbeat);
  clearTimeout(S.pongTimer);
}

function onFrame(frame) {
  clearTimeout(S.pongTimer);
  switch (frame.type) {
    case 'hello':
      onHello(frame);
      break;
    case 'handoff_requested':
      onHandoffRequested(frame.handoff);
      break;
    case 'handoff_taken':
      removeHandoff(frame.handoff_id);
      break;
    case 'handoff_withdrawn':
      removeHandoff(frame.handoff_id);
      break;
    case 'handoff_escalated':
      onHandoffEscalated(frame);
      break;
    case 'conversation':
      upsertConversation(frame.conversation);
      break;
    case 'presence':
      if (S.agent && frame.agent_id === S.agent.id) {
        S.agent.status = frame.status;
        paintStatus();
      }
      onTeamPresence(frame);
      break;
    case 'resync':
      reloadQueue();
      loadConversations();
      loadTickets();
      break;
    case 'ticket_created':
      onTicketEvent(frame, true);
      break;
    case 'ticket_updated':
      onTicketEvent(frame, false);
      break;
    case 'message':
      onMessage(frame.message);
      break;
    case 'typing':
      onTyping(frame);
      break;
    case 'delta':
      onDelta(frame);
      break;
    case 'delta_end':
      if (frame.conversation_id) dropDraft(frame.conversation_id);
      // The bot's turn is over: its "typing" goes too, reply or not.
      if (frame.conversation_id === S.current && $('typing').dataset.author === 'bot') $('typing').hidden = true;
      break;
    case 'state':
      onState(frame);
      break;
    case 'ack':
      if (frame.message) onMessage(frame.message);
      break;
    case 'error':
      if (frame.error) toast('The server refused a request', describe(frame.error), { kind: 'error' });
      break;
    default:
      break;
  }
}

function onHello(frame) {
  S.wsReady = true;
  S.reconnectAttempt = 0;
  setConnection('connected', 'Connected');
  startHeartbeat();
  if (frame.agent) {
    S.agent = Object.assign(S.agent || {}, frame.agent);
    $('agent-name').textContent = S.agent.display_name;
    paintStatus();
  }
  S.queue.clear();
  for (const brief of frame.handoffs || []) S.queue.set(brief.id, brief);
  renderQueue();
  if (!S.firstHello) {
    // Workspace events are not replayed: read the lists again after a reconnect.
    loadConversations();
    loadTickets();
  }
  S.firstHello = false;
  // Follow again, from the last message seen, every conversation followed before.
  for (const [id, chat] of S.chats) {
    if (id === S.current || isMine(S.conversations.get(id))) subscribe(id);
    // Replies held back while the connection was down go now.
    for (const item of chat.pending.values()) if (item.state === 'waiting') item.attempts = 0;
    if (chat.pending.size) pump(id);
  }
  if (S.current) paintChat();
}
