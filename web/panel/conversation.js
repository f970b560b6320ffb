/*
 * One conversation: its messages and files, the bot's reply while it is streamed (read-only),
 * typing, and sending replies in order with retries.
 */

import { API } from '../shared/api.js';
import { $, h } from '../shared/dom.js';
import { byteLength } from '../shared/text.js';
import { clock, elapsed, parseTime } from '../shared/time.js';
import { chatFor, isMine, renderConversations, upsertConversation } from './conversations.js';
import { api, describe } from './http.js';
import { STATES, TRIGGERS, visitorLabel } from './labels.js';
import { beep, toast } from './notify.js';
import { authorLabel, briefDetails, handoffFor, paintKnownVisitor, queueOrder } from './queue.js';
import { closePicker } from './saved-replies.js';
import { showView } from './sections.js';
import { wsSend } from './socket.js';
import { S } from './state.js';
import { openTicket } from './tickets.js';

function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'p-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function subscribe(id) {
  const chat = chatFor(id);
  if (chat.subscribed || !S.wsReady) return;
  if (wsSend({ type: 'subscribe', conversation_id: id, after: chat.lastSeq })) chat.subscribed = true;
}

export function unsubscribe(id) {
  const chat = S.chats.get(id);
  if (!chat || !chat.subscribed) return;
  wsSend({ type: 'unsubscribe', conversation_id: id });
  chat.subscribed = false;
}

export async function openConversation(id) {
  if (!id) return;
  showView('chats');
  const previous = S.current;
  if (previous && previous !== id && !isMine(S.conversations.get(previous))) unsubscribe(previous);
  S.current = id;
  history.replaceState(null, '', '#c=' + id);
  const chat = chatFor(id);
  chat.unread = 0;
  markRead(id);
  $('chat-empty').hidden = true;
  $('chat-main').hidden = false;
  $('typing').hidden = true;
  $('composer-hint').textContent = '';
  $('composer-hint').classList.remove('error');
  renderMessages();
  subscribe(id);
  renderConversations();
  if (!S.conversations.has(id)) {
    try {
      const view = await api('GET', '/conversations/' + encodeURIComponent(id));
      upsertConversation(view);
    } catch (err) {
      if (S.current === id) {
        S.current = null;
        $('chat-main').hidden = true;
        $('chat-empty').hidden = false;
        history.replaceState(null, '', location.pathname);
        if (err.status !== 401) toast('Cannot open this conversation', describe(err), { kind: 'error' });
      }
      return;
    }
  }
  paintChat();
  loadLimit(S.conversations.get(id));
  if (!$('composer-input').disabled) $('composer-input').focus();
}

/** The message size limit is public, per server: read it from the bot's widget view. */
async function loadLimit(view) {
  if (!view || S.limitLoaded) return;
  try {
    const bot = await api('GET', '/widget/bots/' + encodeURIComponent(view.bot_id));
    if (bot.max_message_bytes) S.maxBytes = bot.max_message_bytes;
    S.limitLoaded = true;
  } catch (_) {
    /* keep the default */
  }
}

export function paintChat() {
  const id = S.current;
  const c = S.conversations.get(id);
  if (!c) return;
  const mine = isMine(c);
  const brief = handoffFor(id);
  const title = $('chat-title');
  title.replaceChildren(
    visitorLabel(c),
    c.visitor_verified ? h('span', { class: 'verified', title: 'The site vouched for this visitor (signed identity)', text: 'Verified' }) : null,
    h('span', { class: 'state ' + c.state, text: STATES[c.state] || c.state }),
  );
  paintKnownVisitor(c);
  let sub = c.bot_name;
  if (c.state === 'human') sub += mine ? ' · you are chatting with this visitor' : ' · with ' + (c.agent_name || 'another agent');
  else if (c.state === 'ai') sub += ' · the AI is answering';
  else if (c.state === 'waiting') sub += ' · waiting for a person';
  else if (c.state === 'closed') sub += ' · resolved';
  else if (c.state === 'lead_capture') sub += ' · nobody was available: the visitor is asked for contact details';
  else if (c.state === 'freshchat') sub += ' · handled in FreshChat (read-only here)';
  $('chat-subtitle').textContent = sub;
  $('action-accept').hidden = !(c.state === 'waiting' && brief);
  $('action-accept').dataset.handoff = brief ? brief.id : '';
  $('action-join').hidden = c.state !== 'ai' && c.state !== 'lead_capture';
  $('action-handback').hidden = !mine;
  $('action-resolve').hidden = !mine;

  const briefBox = $('chat-brief');
  if (c.state === 'waiting' && brief) {
    const parts = [
      h('p', {}, h('strong', { text: (TRIGGERS[brief.trigger] || brief.trigger) + ': ' }), brief.reason || ''),
      brief.summary ? h('p', {}, h('b', { text: 'About: ' }), brief.summary) : null,
      briefDetails(brief, true),
      h(
        'p',
        { class: 'muted' },
        'Position ' + (queueOrder().indexOf(brief) + 1) + ' in the queue · waiting ',
        h('span', { class: 'handoff-wait', 'data-since': String(parseTime(brief.requested_at) || ''), text: elapsed(parseTime(brief.requested_at)) }),
      ),
    ];
    briefBox.replaceChildren(...parts.filter(Boolean));
    briefBox.hidden = false;
  } else {
    briefBox.hidden = true;
  }

  const input = $('composer-input');
  const wasDisabled = input.disabled;
  input.disabled = !mine;
  $('composer-send').disabled = !mine || byteLength(input.value) > S.maxBytes;
  $('saved-open').disabled = !mine;
  $('composer-attach').disabled = !mine;
  if (!mine) closePicker();
  if (mine) input.placeholder = 'Reply to the visitor (Enter to send, Shift+Enter for a new line)';
  else if (c.state === 'ai') input.placeholder = 'Join the conversation to reply';
  else if (c.state === 'waiting') input.placeholder = 'Accept the handoff to reply';
  else if (c.state === 'lead_capture') input.placeholder = 'Join the conversation to reply';
  else if (c.state === 'human') input.placeholder = (c.agent_name || 'Another agent') + ' is handling this conversation';
  else if (c.state === 'freshchat') input.placeholder = 'Your FreshChat team is handling this conversation: reply from FreshChat';
  else input.placeholder = 'This conversation is resolved';
  if (mine && wasDisabled) input.focus();
}

function renderMessages() {
  const list = $('messages');
  const chat = chatFor(S.current);
  const items = Array.from(chat.messages.values()).sort((a, b) => a.seq - b.seq);
  list.replaceChildren(...items.map(messageElement), ...Array.from(chat.pending.values(), pendingElement));
  paintDraft();
  scrollToEnd();
}

export function messageElement(m) {
  if (m.author_kind === 'system') {
    const li = h('li', { class: 'sys', 'data-seq': String(m.seq), text: m.text });
    const ticketId = m.kind === 'lead_captured' && m.data && typeof m.data.ticket_id === 'string' ? m.data.ticket_id : null;
    if (ticketId) li.append(h('button', { type: 'button', class: 'sys-link', text: 'Open ticket', onclick: () => openTicket(ticketId) }));
    return li;
  }
  const kind = m.author_kind === 'visitor' ? 'visitor' : m.author_kind === 'agent' ? 'agent' : 'bot';
  const t = parseTime(m.created_at);
  return h(
    'li',
    { class: 'm ' + kind, 'data-seq': String(m.seq) },
    h('div', { class: 'who', text: authorLabel(m) }),
    m.kind === 'attachment' ? h('div', { class: 'bubble' }, fileElement(m)) : h('div', { class: 'bubble', text: m.text }),
    h('div', { class: 'sub', title: t ? new Date(t).toLocaleString() : null, text: clock(t) }),
  );
}

/** Images the server shows inline (their bytes were checked); everything else is a link. */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** A sent file: a thumbnail or a named link, both to our own download URL. */
function fileElement(m) {
  const data = m.data || {};
  const name = String(data.name || m.text || 'file');
  if (typeof data.attachment_id !== 'string') return h('span', { text: name });
  const url = API + '/attachments/' + encodeURIComponent(data.attachment_id);
  const link = h('a', { class: 'file-link', href: url, target: '_blank', rel: 'noopener noreferrer' });
  if (INLINE_IMAGES.has(data.content_type)) {
    const img = h('img', { class: 'file-thumb', alt: name, loading: 'lazy' });
    img.src = url;
    link.append(img);
  } else {
    link.textContent = name;
  }
  return link;
}

/** Sends the chosen file to the open conversation (the owning agent only; one client id). */
export async function sendFile() {
  const input = $('composer-file');
  const file = input.files && input.files[0];
  input.value = '';
  const id = S.current;
  if (!file || !id) return;
  const clientId = newClientId();
  const hint = $('composer-hint');
  for (let attempt = 1; ; attempt++) {
    const form = new FormData();
    form.append('client_id', clientId);
    form.append('file', file, file.name);
    try {
      const res = await api('POST', '/conversations/' + encodeURIComponent(id) + '/attachments', form);
      onMessage(res.message);
      return;
    } catch (err) {
      if ((err.network || err.status >= 500) && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
        continue;
      }
      hint.textContent = 'The file was not sent: ' + (err.message || describe(err));
      hint.classList.add('error');
      return;
    }
  }
}

function pendingElement(item) {
  const sub = h('div', { class: 'sub' });
  const li = h('li', { class: 'm agent pending', 'data-client': item.client_id }, h('div', { class: 'who', text: S.agent ? S.agent.display_name : '' }), h('div', { class: 'bubble', text: item.text }), sub);
  item.el = li;
  item.sub = sub;
  paintPending(item);
  return li;
}

function paintPending(item) {
  if (!item.el) return;
  const failed = item.state === 'failed';
  item.el.classList.toggle('failed', failed);
  item.el.classList.toggle('pending', !failed);
  item.sub.replaceChildren();
  if (failed) {
    item.sub.append(
      'Not sent: ' + (item.error || 'error') + ' ',
      h('button', { type: 'button', text: 'Retry', onclick: () => retry(item) }),
      h('button', { type: 'button', text: 'Delete', onclick: () => discard(item) }),
    );
  } else {
    item.sub.append(item.error || 'Sending…');
  }
}

function discard(item) {
  const chat = S.chats.get(item.conversationId);
  if (chat) chat.pending.delete(item.client_id);
  if (item.el) item.el.remove();
}

function scrollToEnd() {
  const list = $('messages');
  requestAnimationFrame(() => {
    list.scrollTop = list.scrollHeight;
  });
}

export function onMessage(m) {
  if (!m || typeof m.seq !== 'number') return;
  const id = m.conversation_id;
  const chat = chatFor(id);
  const known = chat.messages.has(m.seq);
  chat.messages.set(m.seq, m);
  if (m.seq > chat.lastSeq) chat.lastSeq = m.seq;
  if (m.client_id && chat.pending.has(m.client_id)) {
    const item = chat.pending.get(m.client_id);
    chat.pending.delete(m.client_id);
    if (item.el) item.el.remove();
  }
  if (known) return;
  // The stored reply replaces its streamed preview; after a handoff or a request for contact
  // details no reply of the AI is coming.
  if (m.author_kind === 'bot' || (m.author_kind === 'system' && (String(m.kind).startsWith('handoff_') || m.kind === 'agent_joined' || m.kind === 'lead_requested'))) {
    dropDraft(id);
  }
  const view = S.conversations.get(id);
  if (view && m.seq > (view.last_seq || 0)) {
    view.last_seq = m.seq;
    view.last_text = m.text;
    view.updated_at = m.created_at;
  }
  if (id === S.current) {
    insertMessage(m);
    if ($('typing').dataset.author === m.author_kind) $('typing').hidden = true;
    markRead(id);
  } else if (m.author_kind === 'visitor' && m.seq > (chat.countedUpTo || 0)) {
    // Entries replayed on (re)subscribing were counted by the server already.
    chat.unread += 1;
    if (isMine(view)) beep();
  }
  chat.countedUpTo = Math.max(chat.countedUpTo || 0, m.seq);
  renderConversations();
}

/**
 * Tells the server how far this agent has read the open conversation (at most every 2 s per
 * conversation, and once more after the last message of a burst).
 */
function markRead(id) {
  const chat = chatFor(id);
  const view = S.conversations.get(id);
  const seq = Math.max(chat.lastSeq || 0, (view && view.last_seq) || 0);
  // Even an empty conversation gets a place (0): its first messages then count as unread.
  if (chat.readSent !== undefined && seq <= chat.readSent) return;
  const now = Date.now();
  clearTimeout(chat.readTimer);
  if (now - (chat.readAt || 0) < 2000) {
    chat.readTimer = setTimeout(() => markRead(id), 2000);
    return;
  }
  chat.readAt = now;
  chat.readSent = seq;
  api('POST', '/conversations/' + encodeURIComponent(id) + '/read', { seq }).catch(() => {
    chat.readSent = undefined;
  });
}

function insertMessage(m) {
  const list = $('messages');
  const el = messageElement(m);
  let before = null;
  for (const other of list.children) {
    const seq = other.dataset.seq ? Number(other.dataset.seq) : Infinity;
    if (seq > m.seq) {
      before = other;
      break;
    }
  }
  list.insertBefore(el, before);
  scrollToEnd();
}

export function onTyping(frame) {
  if (frame.conversation_id !== S.current) return;
  if (frame.author_kind === 'agent' && S.agent && frame.name === S.agent.display_name) return;
  if (frame.author_kind === 'bot' && S.drafts.has(frame.conversation_id)) return;
  const who = frame.name || (frame.author_kind === 'visitor' ? 'The visitor' : 'Someone');
  const el = $('typing');
  el.textContent = who + (frame.author_kind === 'bot' ? ' (AI)' : '') + ' is typing…';
  el.dataset.author = frame.author_kind;
  el.hidden = false;
  clearTimeout(S.typingTimer);
  S.typingTimer = setTimeout(() => {
    el.hidden = true;
  }, 6000);
}

const DRAFT_IDLE_MS = 60000;

export function onDelta(frame) {
  const id = frame.conversation_id;
  if (!id || typeof frame.text !== 'string' || !frame.text) return;
  const view = S.conversations.get(id);
  if (view && view.state !== 'ai' && view.state !== 'waiting') return;
  let draft = S.drafts.get(id);
  if (!draft) {
    draft = { text: '', timer: null };
    S.drafts.set(id, draft);
  }
  draft.text += frame.text;
  clearTimeout(draft.timer);
  draft.timer = setTimeout(() => dropDraft(id), DRAFT_IDLE_MS);
  if (id === S.current) {
    if ($('typing').dataset.author === 'bot') $('typing').hidden = true;
    paintDraft();
  }
}

export function dropDraft(id) {
  const draft = S.drafts.get(id);
  if (!draft) return;
  clearTimeout(draft.timer);
  S.drafts.delete(id);
  if (id === S.current) paintDraft();
}

/** Shows (or removes) the streamed preview at the end of the open conversation. */
function paintDraft() {
  const list = $('messages');
  let el = list.querySelector('li.draft');
  const draft = S.current ? S.drafts.get(S.current) : null;
  if (!draft) {
    if (el) el.remove();
    return;
  }
  if (!el) {
    const view = S.conversations.get(S.current);
    el = h(
      'li',
      { class: 'm bot draft', 'aria-hidden': 'true' },
      h('div', { class: 'who', text: ((view && view.bot_name) || 'Bot') + ' (AI) · typing…' }),
      h('div', { class: 'bubble' }),
    );
    list.append(el);
  }
  el.querySelector('.bubble').textContent = draft.text;
  scrollToEnd();
}

export function onState(frame) {
  if (frame.state && frame.state !== 'ai' && frame.state !== 'waiting') dropDraft(frame.conversation_id);
  const view = S.conversations.get(frame.conversation_id);
  if (!view || !frame.state) return;
  view.state = frame.state;
  view.agent_name = frame.agent_name || null;
  if (frame.state !== 'human') view.agent_id = null;
  renderConversations();
  if (frame.conversation_id === S.current) paintChat();
}

export function submit(ev) {
  if (ev) ev.preventDefault();
  const id = S.current;
  const input = $('composer-input');
  const text = input.value;
  if (!id || input.disabled || !text.trim()) return;
  const bytes = byteLength(text);
  if (bytes > S.maxBytes) {
    hint('Your reply is too long (' + bytes + ' of ' + S.maxBytes + ' bytes).', true);
    return;
  }
  input.value = '';
  updateCounter();
  const chat = chatFor(id);
  const item = { client_id: newClientId(), text, conversationId: id, state: 'queued', attempts: 0 };
  chat.pending.set(item.client_id, item);
  $('messages').append(pendingElement(item));
  scrollToEnd();
  pump(id);
}

/** Sends a conversation's pending replies in order, one at a time (retries never reorder). */
export async function pump(id) {
  const chat = chatFor(id);
  if (chat.pumping) return;
  clearTimeout(chat.pumpTimer);
  chat.pumping = true;
  try {
    for (;;) {
      const item = Array.from(chat.pending.values()).find((m) => m.state !== 'failed');
      if (!item) break;
      const wait = await deliver(id, item);
      if (wait !== null) {
        chat.pumpTimer = setTimeout(() => pump(id), wait);
        break;
      }
    }
  } finally {
    chat.pumping = false;
  }
}

/** One attempt: null when done (sent, or failed for good), else the ms to wait before retrying. */
async function deliver(id, item) {
  const chat = chatFor(id);
  item.state = 'sending';
  item.error = null;
  paintPending(item);
  try {
    const res = await api('POST', '/conversations/' + encodeURIComponent(id) + '/messages', { client_id: item.client_id, text: item.text });
    onMessage(res.message);
    if (chat.pending.delete(item.client_id) && item.el) item.el.remove();
    return null;
  } catch (err) {
    item.attempts += 1;
    let wait = null;
    if ((err.network || err.status >= 500) && item.attempts < 8) {
      item.state = 'waiting';
      item.error = 'Not sent yet — retrying…';
      wait = Math.min(30000, 1000 * 2 ** Math.min(item.attempts, 5));
    } else if (err.status === 409) {
      item.state = 'failed';
      item.error = 'you no longer own this conversation';
    } else {
      item.state = 'failed';
      item.error = describe(err);
    }
    paintPending(item);
    return wait;
  }
}

function retry(item) {
  item.state = 'queued';
  item.attempts = 0;
  paintPending(item);
  pump(item.conversationId);
}

function hint(text, error) {
  const el = $('composer-hint');
  el.textContent = text;
  el.classList.toggle('error', Boolean(error));
}

export function updateCounter() {
  const bytes = byteLength($('composer-input').value);
  const over = bytes > S.maxBytes;
  if (over) hint('Too long: ' + bytes + ' of ' + S.maxBytes + ' bytes.', true);
  else if (bytes > S.maxBytes * 0.8) hint(bytes + ' of ' + S.maxBytes + ' bytes.', false);
  else hint('', false);
  const c = S.conversations.get(S.current);
  $('composer-send').disabled = over || !isMine(c);
}

export function sendTyping() {
  const now = Date.now();
  if (!S.current || now - S.lastTypingSent < 2500 || !$('composer-input').value.trim()) return;
  S.lastTypingSent = now;
  wsSend({ type: 'typing', conversation_id: S.current });
}

export async function conversationAction(action, button) {
  const id = S.current;
  if (!id) return;
  button.disabled = true;
  try {
    const view = await api('POST', '/conversations/' + encodeURIComponent(id) + '/' + action);
    upsertConversation(view);
  } catch (err) {
    toast('Could not ' + (action === 'join' ? 'join' : action === 'hand-back' ? 'hand back' : 'resolve'), describe(err), { kind: 'error' });
  } finally {
    button.disabled = false;
  }
}
