/*
 * The queue of waiting handoffs with their briefs, and accepting one.
 */

import { $, h } from '../shared/dom.js';
import { elapsed, parseTime } from '../shared/time.js';
import { openConversation, paintChat } from './conversation.js';
import { upsertConversation } from './conversations.js';
import { api, describe } from './http.js';
import { STATES, TRIGGERS, visitorLabel } from './labels.js';
import { beep, desktopNotify, dropToasts, toast } from './notify.js';
import { S } from './state.js';
import { isAvailable } from './status.js';

export function queueOrder() {
  return Array.from(S.queue.values()).sort((a, b) => (parseTime(a.requested_at) || 0) - (parseTime(b.requested_at) || 0));
}

export function handoffFor(conversationId) {
  for (const brief of S.queue.values()) if (brief.conversation_id === conversationId) return brief;
  return null;
}

export async function reloadQueue() {
  try {
    const res = await api('GET', '/handoffs');
    S.queue.clear();
    for (const brief of res.handoffs || []) S.queue.set(brief.id, brief);
    renderQueue();
    if (S.current) paintChat();
  } catch (_) {
    /* shown by the connection state */
  }
}

export function onHandoffRequested(brief) {
  if (!brief || !brief.id) return;
  const isNew = !S.queue.has(brief.id);
  S.queue.set(brief.id, brief);
  renderQueue(isNew ? brief.id : null);
  if (S.current === brief.conversation_id) paintChat();
  if (!isNew || !isAvailable()) return;
  const who = visitorLabel({ visitor_name: brief.visitor_name, id: brief.conversation_id });
  const trigger = TRIGGERS[brief.trigger] || brief.trigger;
  toast('New handoff: ' + who, trigger + ' — ' + (brief.reason || ''), {
    kind: 'handoff-toast',
    key: brief.id,
    timeout: 20000,
    actions: [
      { label: 'View', run: () => openConversation(brief.conversation_id) },
      { label: 'Accept', run: () => accept(brief.id) },
    ],
  });
  beep();
  desktopNotify('New handoff: ' + who, trigger + (brief.reason ? ' — ' + brief.reason : ''), () => openConversation(brief.conversation_id));
}

/** Nobody accepted by half the accept timeout: ring again and mark the handoff urgent. */
export function onHandoffEscalated(frame) {
  const brief = S.queue.get(frame.handoff_id);
  if (!brief) return;
  brief.escalated_at = frame.escalated_at || new Date().toISOString();
  renderQueue();
  if (!isAvailable()) return;
  const who = visitorLabel({ visitor_name: brief.visitor_name, id: brief.conversation_id });
  dropToasts(brief.id);
  toast('Still waiting: ' + who, 'Nobody has accepted yet — the visitor is offered to leave a message soon.', {
    kind: 'handoff-toast urgent',
    key: brief.id,
    timeout: 20000,
    actions: [
      { label: 'View', run: () => openConversation(brief.conversation_id) },
      { label: 'Accept', run: () => accept(brief.id) },
    ],
  });
  beep();
  desktopNotify('Still waiting: ' + who, 'Nobody has accepted this handoff yet.', () => openConversation(brief.conversation_id));
}

/** A verified visitor's email and earlier conversations, under the chat's title. */
export async function paintKnownVisitor(c) {
  const box = $('chat-visitor');
  if (!c.visitor_verified) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  if (box.dataset.conversation !== c.id) {
    box.dataset.conversation = c.id;
    box.replaceChildren(c.visitor_email ? h('a', { href: 'mailto:' + c.visitor_email, text: c.visitor_email }) : 'Known visitor');
    box.hidden = false;
    try {
      const detail = await api('GET', '/conversations/' + encodeURIComponent(c.id));
      if (box.dataset.conversation !== c.id) return;
      const earlier = detail.earlier_conversations || [];
      const parts = [c.visitor_email ? h('a', { href: 'mailto:' + c.visitor_email, text: c.visitor_email }) : 'Known visitor'];
      if (detail.visitor_external_id) parts.push(' · id ', h('code', { text: detail.visitor_external_id }));
      if (earlier.length) {
        parts.push(' · earlier: ');
        earlier.forEach((e, i) => {
          if (i) parts.push(', ');
          parts.push(h('a', { href: '#c=' + e.id, onclick: (ev) => { ev.preventDefault(); openConversation(e.id); }, text: new Date(parseTime(e.created_at)).toLocaleDateString() + ' (' + (STATES[e.state] || e.state) + ')' }));
        });
      } else {
        parts.push(' · first conversation');
      }
      box.replaceChildren(...parts);
    } catch (_) {
      /* the email alone stays */
    }
  }
}

export function removeHandoff(id) {
  dropToasts(id);
  if (!S.queue.delete(id)) return;
  renderQueue();
  if (S.current) paintChat();
}

export function renderQueue(freshId) {
  const list = $('queue-list');
  const order = queueOrder();
  list.replaceChildren(...order.map((brief, i) => queueItem(brief, i + 1, brief.id === freshId)));
  $('queue-empty').hidden = order.length > 0;
  $('queue-count').textContent = String(order.length);
  $('queue-count').dataset.zero = String(order.length === 0);
  document.title = (order.length ? '(' + order.length + ') ' : '') + 'Live Chat — Baton';
}

function queueItem(brief, position, fresh) {
  const who = visitorLabel({ visitor_name: brief.visitor_name, id: brief.conversation_id });
  const waited = h('span', { class: 'handoff-wait', 'data-since': String(parseTime(brief.requested_at) || '') , text: elapsed(parseTime(brief.requested_at)) });
  const excerpt = h(
    'ol',
    { class: 'excerpt' },
    (brief.last_messages || []).map((m) =>
      h('li', {}, h('b', { text: authorLabel(m) + ': ' }), m.text),
    ),
  );
  const acceptButton = h('button', { type: 'button', class: 'primary', text: 'Accept', onclick: () => accept(brief.id, acceptButton) });
  return h(
    'li',
    {
      class: 'handoff' + (fresh ? ' fresh' : '') + (brief.escalated_at ? ' urgent' : ''),
      'data-handoff': brief.id,
      'aria-label': (brief.escalated_at ? 'Urgent handoff from ' : 'Handoff from ') + who,
    },
    h(
      'div',
      { class: 'handoff-head' },
      h('span', { class: 'handoff-who', text: who }),
      brief.escalated_at ? h('span', { class: 'tag urgent-tag', text: 'Urgent' }) : null,
      h('span', { class: 'handoff-meta' }, '#' + position + ' · waiting ', waited),
    ),
    h(
      'div',
      { class: 'tags' },
      h('span', { class: 'tag trigger', text: TRIGGERS[brief.trigger] || brief.trigger }),
      brief.bot_name ? h('span', { class: 'tag', text: brief.bot_name }) : null,
    ),
    brief.reason ? h('p', { class: 'handoff-reason', text: brief.reason }) : null,
    // The visitor's request is shown once: the summary only when the reason does not already
    // hold it, and the last messages (which hold it again) folded away.
    brief.summary && !sameWords(brief.reason, brief.summary)
      ? h('p', { class: 'handoff-summary' }, h('b', { text: 'About: ' }), brief.summary)
      : null,
    briefDetails(brief, position <= 3),
    (brief.last_messages || []).length
      ? h('details', {}, h('summary', { text: 'Last messages (' + brief.last_messages.length + ')' }), excerpt)
      : null,
    h(
      'div',
      { class: 'handoff-buttons' },
      acceptButton,
      h('button', { type: 'button', text: 'View', onclick: () => openConversation(brief.conversation_id) }),
    ),
  );
}

/** True when one text holds the other (letters and digits only, any case). */
function sameWords(a, b) {
  const norm = (t) => String(t || '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const x = norm(a);
  const y = norm(b);
  return x !== '' && y !== '' && (x.includes(y) || y.includes(x));
}

/** What the visitor mentioned (contact details, order numbers) and what the AI already answered. */
export function briefDetails(brief, open) {
  const d = brief.details || {};
  const list = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' && x) : []);
  const contact = [...list(d.emails), ...list(d.phones)];
  const orders = list(d.order_numbers);
  const answers = list(brief.ai_answers);
  const facts = [];
  if (contact.length) facts.push(h('p', { class: 'brief-fact brief-contact' }, h('b', { text: 'Contact: ' }), contact.join(', ')));
  if (orders.length) facts.push(h('p', { class: 'brief-fact brief-orders' }, h('b', { text: 'Order numbers: ' }), orders.join(', ')));
  if (answers.length) {
    facts.push(
      h(
        'details',
        { class: 'brief-answers', open: Boolean(open) && answers.length <= 2 },
        h('summary', { text: 'What the AI answered (' + answers.length + ')' }),
        h('ol', { class: 'excerpt' }, answers.map((a) => h('li', { text: a }))),
      ),
    );
  }
  return facts.length ? h('div', { class: 'brief-details' }, facts) : null;
}

export function authorLabel(m) {
  if (m.author_kind === 'visitor') return m.author_name || 'Visitor';
  if (m.author_kind === 'bot') return (m.author_name || 'Bot') + ' (AI)';
  if (m.author_kind === 'agent') return m.author_name || 'Agent';
  return 'System';
}

export async function accept(handoffId, button) {
  const brief = S.queue.get(handoffId);
  if (button) button.disabled = true;
  try {
    const res = await api('POST', '/handoffs/' + encodeURIComponent(handoffId) + '/accept');
    dropToasts(handoffId);
    S.queue.delete(handoffId);
    renderQueue();
    if (res.conversation) upsertConversation(res.conversation);
    openConversation(res.conversation ? res.conversation.id : brief && brief.conversation_id);
  } catch (err) {
    if (err.status === 409) {
      toast('Already taken', 'Another agent accepted this visitor, or they are no longer waiting.', { timeout: 6000 });
      removeHandoff(handoffId);
    } else {
      toast('Could not accept', describe(err), { kind: 'error' });
      if (button) button.disabled = false;
    }
  }
}
