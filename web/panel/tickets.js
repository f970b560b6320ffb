/*
 * Tickets left by visitors nobody could take live: list, filters, the ticket view with the
 * transcript, assignee, status, priority, notes and replies by email.
 */

import { $, h } from '../shared/dom.js';
import { ago, parseTime } from '../shared/time.js';
import { showAnalytics } from './analytics.js';
import { messageElement, openConversation } from './conversation.js';
import { api, describe } from './http.js';
import { PRIORITIES, TICKET_STATUSES, TRIGGERS } from './labels.js';
import { beep, desktopNotify, toast } from './notify.js';
import { showChats, showIntegrations, showTickets, showView } from './sections.js';
import { S } from './state.js';
import { isAvailable } from './status.js';
import { showTeam } from './team.js';

function chip(kind, value) {
  const labels = kind === 'status' ? TICKET_STATUSES : PRIORITIES;
  return h('span', { class: 'chip ' + kind + '-' + value, text: labels[value] || value });
}

export function shortId(id) {
  return String(id || '').replace(/-/g, '').slice(-5);
}

function botName(id) {
  return S.bots.get(id) || 'Bot ' + shortId(id);
}

/** A ticket's bot, by the name the ticket carries. */
function ticketBot(t) {
  return t.bot_name || botName(t.bot_id);
}

/** A ticket's assignee, by the name the ticket carries ("You" for oneself). */
function ticketAssignee(t) {
  if (!t.assignee_id) return 'Unassigned';
  if (S.agent && t.assignee_id === S.agent.id) return 'You';
  return t.assignee_name || agentName(t.assignee_id);
}

/** Remembers a bot's name (from conversations, tickets or the admin bot list) for the filter. */
export function learnBot(id, name) {
  if (!id) return;
  const known = S.bots.get(id);
  if (known === undefined || (name && known !== name)) {
    S.bots.set(id, name || known || null);
    renderBotOptions();
  }
}

function agentName(id) {
  if (!id) return 'Unassigned';
  if (S.agent && id === S.agent.id) return 'You';
  const a = S.agents.get(id);
  return a ? a.display_name : 'Another agent';
}

function contactLabel(t) {
  return t.contact_name ? t.contact_name + ' <' + t.contact_email + '>' : t.contact_email;
}

/** Refills a <select> with [value, label] pairs, keeping its value when it still exists. */
export function fillSelect(select, options, value) {
  const keep = value === undefined ? select.value : value;
  select.replaceChildren(...options.map(([v, label, disabled]) => h('option', { value: v, disabled: Boolean(disabled) }, label)));
  select.value = options.some(([v]) => v === keep) ? keep : options.length ? options[0][0] : '';
}

function renderBotOptions() {
  const bots = Array.from(S.bots.keys()).sort((a, b) => botName(a).localeCompare(botName(b)));
  fillSelect($('tf-bot'), [['', 'Any bot'], ...bots.map((id) => [id, botName(id)])], S.ticketFilter.bot);
}

function otherAgents() {
  return Array.from(S.agents.values())
    .filter((a) => !S.agent || a.id !== S.agent.id)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
}

export function renderAssigneeOptions() {
  if (!S.agent) return;
  fillSelect(
    $('tf-assignee'),
    [['', 'Anyone'], [S.agent.id, 'Me'], ...otherAgents().map((a) => [a.id, a.display_name])],
    S.ticketFilter.assignee,
  );
}

export async function loadAgents() {
  try {
    const res = await api('GET', '/agents');
    for (const a of res.agents || []) S.agents.set(a.id, a);
  } catch (_) {
    return;
  }
  renderAssigneeOptions();
  renderTickets();
  if (S.ticketDetail) paintTicket();
}

export async function loadBots() {
  try {
    const res = await api('GET', '/bots');
    for (const b of res.bots || []) learnBot(b.id, b.name);
  } catch (_) {
    /* names also come from conversations */
  }
  renderTickets();
  if (S.ticketDetail) paintTicket();
}

function ticketMatches(t) {
  const f = S.ticketFilter;
  if (f.status === 'unresolved' ? t.status === 'resolved' : f.status && t.status !== f.status) return false;
  if (f.priority && t.priority !== f.priority) return false;
  if (f.bot && t.bot_id !== f.bot) return false;
  if (f.assignee && t.assignee_id !== f.assignee) return false;
  return true;
}

export async function loadTickets() {
  if (!S.agent) return;
  const f = S.ticketFilter;
  const query = new URLSearchParams({ limit: '200' });
  if (f.status && f.status !== 'unresolved') query.set('status', f.status);
  if (f.priority) query.set('priority', f.priority);
  if (f.bot) query.set('bot_id', f.bot);
  if (f.assignee) query.set('assignee_id', f.assignee);
  const load = ++S.ticketLoads;
  try {
    const res = await api('GET', '/tickets?' + query.toString());
    if (load !== S.ticketLoads) return;
    S.tickets.clear();
    for (const t of res.tickets || []) {
      learnBot(t.bot_id);
      if (ticketMatches(t)) S.tickets.set(t.id, t);
    }
    if (typeof res.open_tickets === 'number') setOpenTickets(res.open_tickets);
    renderTickets();
  } catch (err) {
    if (err.status !== 401) toast('Could not load tickets', describe(err), { kind: 'error' });
  }
}

function setOpenTickets(n) {
  const el = $('tickets-count');
  const before = S.openTickets;
  S.openTickets = n;
  el.textContent = String(n);
  el.dataset.zero = String(n === 0);
  $('nav-tickets').title = n + ' open ticket' + (n === 1 ? '' : 's');
  $('tickets-open-label').textContent = n ? '· ' + n + ' open' : '';
  if (before !== null && n > before) {
    el.classList.remove('bump');
    void el.offsetWidth;
    el.classList.add('bump');
  }
}

export function renderTickets(freshId) {
  const list = $('ticket-list');
  const items = Array.from(S.tickets.values())
    .filter(ticketMatches)
    .sort((a, b) => (parseTime(b.updated_at) || 0) - (parseTime(a.updated_at) || 0));
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.ticket : null;
  list.replaceChildren(...items.map((t) => ticketItem(t, t.id === freshId)));
  $('ticket-empty').hidden = items.length > 0;
  if (focused) {
    const again = list.querySelector('[data-ticket="' + CSS.escape(focused) + '"]');
    if (again) again.focus();
  }
}

function ticketItem(t, fresh) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: 'ticket-item' + (fresh ? ' fresh' : ''),
        'data-ticket': t.id,
        'aria-current': t.id === S.currentTicket ? 'true' : 'false',
        onclick: () => openTicket(t.id),
      },
      h('span', { class: 'ticket-subject', title: t.subject, text: t.subject }),
      h('span', { class: 'conv-last', text: contactLabel(t) }),
      h('span', { class: 'conv-badges' }, chip('priority', t.priority), chip('status', t.status)),
      h('span', { class: 'conv-time', text: ticketBot(t) + ' · ' + ticketAssignee(t) + ' · ' + ago(parseTime(t.created_at)) }),
    ),
  );
}

/** Keeps the newest version of a ticket in the list and the ticket view. */
function applyTicket(t) {
  const shown = S.ticketDetail && S.ticketDetail.ticket.id === t.id ? S.ticketDetail.ticket : null;
  const known = S.tickets.get(t.id) || shown;
  if (known && (parseTime(known.updated_at) || 0) > (parseTime(t.updated_at) || 0)) return false;
  learnBot(t.bot_id, t.bot_name);
  if (ticketMatches(t)) S.tickets.set(t.id, t);
  else S.tickets.delete(t.id);
  if (shown) {
    S.ticketDetail.ticket = t;
    paintTicket();
  }
  return true;
}

export function onTicketEvent(frame, created) {
  const t = frame.ticket;
  if (typeof frame.open_tickets === 'number') setOpenTickets(frame.open_tickets);
  if (!t || !t.id) return;
  const isNew = created && !S.tickets.has(t.id);
  applyTicket(t);
  renderTickets(isNew ? t.id : null);
  // Notes and replies announce the ticket too: the open ticket view reads its notes again.
  if (!created && S.ticketDetail && S.ticketDetail.ticket.id === t.id) refreshNotes(t.id);
  if (isNew && isAvailable()) {
    // Like a handoff: in the page, with a sound, and on the desktop when the tab is in the background.
    const who = contactLabel(t);
    const why = t.trigger ? TRIGGERS[t.trigger] || t.trigger : 'Asked for a ticket';
    toast('New ticket: ' + t.subject, who + ' — ' + why, {
      kind: 'ticket-toast',
      key: 'ticket-' + t.id,
      timeout: 15000,
      actions: [{ label: 'Open', run: () => openTicket(t.id) }],
    });
    beep();
    desktopNotify('New ticket: ' + t.subject, who + ' — ' + why, () => openTicket(t.id));
  }
}

export async function openTicket(id) {
  if (!id) return;
  showView('tickets');
  S.currentTicket = id;
  history.replaceState(null, '', '#t=' + id);
  renderTickets();
  if (!S.ticketDetail || S.ticketDetail.ticket.id !== id) {
    S.ticketDetail = null;
    $('ticket-main').hidden = true;
    $('ticket-none').hidden = false;
    $('note-input').value = '';
    noteHint('', false);
  }
  try {
    const res = await api('GET', '/tickets/' + encodeURIComponent(id));
    if (S.currentTicket !== id) return;
    S.ticketDetail = { ticket: res.ticket, notes: res.notes || [], transcript: res.transcript || [] };
    applyTicket(res.ticket);
    renderTickets();
    $('ticket-none').hidden = true;
    $('ticket-main').hidden = false;
    paintTicket();
    paintNotes();
    paintTranscript();
  } catch (err) {
    if (S.currentTicket !== id) return;
    S.currentTicket = null;
    history.replaceState(null, '', '#tickets');
    renderTickets();
    if (err.status !== 401) toast('Cannot open this ticket', describe(err), { kind: 'error' });
  }
}

function paintTicket() {
  const d = S.ticketDetail;
  if (!d) return;
  const t = d.ticket;
  $('ticket-subject').replaceChildren(t.subject, chip('priority', t.priority), chip('status', t.status));
  const created = parseTime(t.created_at);
  const updated = parseTime(t.updated_at);
  $('ticket-meta').textContent =
    'Ticket ' + shortId(t.id) + ' · opened ' + (created ? new Date(created).toLocaleString() : '') + (updated && updated !== created ? ' · updated ' + ago(updated) : '');
  $('ticket-status').value = t.status;
  $('ticket-priority').value = t.priority;
  const assignees = [['', 'Unassigned'], [S.agent.id, 'Me (' + S.agent.display_name + ')'], ...otherAgents().map((a) => [a.id, a.display_name])];
  if (t.assignee_id && !assignees.some(([v]) => v === t.assignee_id)) assignees.push([t.assignee_id, ticketAssignee(t), true]);
  fillSelect($('ticket-assignee'), assignees, t.assignee_id || '');

  const mail = h('a', { href: 'mailto:' + encodeURIComponent(t.contact_email).replace('%40', '@'), text: t.contact_email });
  const facts = [
    ['Contact', t.contact_name || 'No name given'],
    ['Email', mail],
    ['Bot', ticketBot(t)],
    ['Trigger', t.trigger ? TRIGGERS[t.trigger] || t.trigger : 'The visitor asked for a ticket'],
    ['Reason', t.reason || '—'],
    ['Assignee', ticketAssignee(t)],
    ['Conversation', h('button', { type: 'button', text: 'Open conversation', onclick: () => openConversation(t.conversation_id) })],
  ];
  $('ticket-facts').replaceChildren(...facts.flatMap(([label, value]) => [h('dt', { text: label }), h('dd', {}, value)]));
  $('ticket-description').textContent = t.description || 'No description.';
}

/** Reads the shown ticket's notes again (coalesced: one request at a time, one more if needed). */
async function refreshNotes(id) {
  if (S.notesLoading) {
    S.notesAgain = true;
    return;
  }
  S.notesLoading = true;
  try {
    const res = await api('GET', '/tickets/' + encodeURIComponent(id));
    if (S.ticketDetail && S.ticketDetail.ticket.id === id) {
      S.ticketDetail.notes = res.notes || [];
      S.ticketDetail.transcript = res.transcript || S.ticketDetail.transcript;
      if (res.ticket) applyTicket(res.ticket);
      paintNotes();
      paintTranscript();
    }
  } catch (_) {
    /* the next event or opening the ticket again reads them */
  } finally {
    S.notesLoading = false;
    if (S.notesAgain) {
      S.notesAgain = false;
      if (S.ticketDetail && S.ticketDetail.ticket.id === id) refreshNotes(id);
    }
  }
}

function paintNotes() {
  const d = S.ticketDetail;
  if (!d) return;
  const notes = d.notes.slice().sort((a, b) => (parseTime(a.created_at) || 0) - (parseTime(b.created_at) || 0));
  $('ticket-notes').replaceChildren(
    ...notes.map((n) => {
      const t = parseTime(n.created_at);
      return h(
        'li',
        { class: 'note ' + (n.kind === 'reply' ? 'reply' : 'internal') },
        h(
          'div',
          { class: 'note-head' },
          h('strong', { text: n.kind === 'reply' ? 'Emailed to the visitor' : 'Internal note' }),
          ' · ' + (n.agent_name || 'Agent') + ' · ',
          h('span', { title: t ? new Date(t).toLocaleString() : null, text: ago(t) }),
        ),
        h('div', { class: 'note-body', text: n.body }),
      );
    }),
  );
  $('ticket-notes-empty').hidden = notes.length > 0;
}

function paintTranscript() {
  const d = S.ticketDetail;
  if (!d) return;
  const list = $('ticket-transcript');
  const items = d.transcript.slice().sort((a, b) => a.seq - b.seq);
  list.replaceChildren(...items.map((m) => messageElement(m)));
  for (const link of list.querySelectorAll('.sys-link')) link.remove();
  if (!items.length) list.append(h('li', { class: 'sys', text: 'No messages.' }));
}

async function updateTicket(field, value, control) {
  const d = S.ticketDetail;
  if (!d) return;
  const id = d.ticket.id;
  control.disabled = true;
  try {
    const res = await api('PATCH', '/tickets/' + encodeURIComponent(id), { [field]: value });
    if (res && res.ticket) applyTicket(res.ticket);
    renderTickets();
  } catch (err) {
    toast('Could not update the ticket', describe(err), { kind: 'error' });
    paintTicket();
  } finally {
    control.disabled = false;
  }
}

function noteHint(text, error) {
  const el = $('note-hint');
  el.textContent = text;
  el.classList.toggle('error', Boolean(error));
}

/** An internal note (kind "note") or a reply emailed to the visitor (kind "reply"). */
async function addNote(kind) {
  const d = S.ticketDetail;
  const input = $('note-input');
  if (!d) return;
  if (!input.value.trim()) {
    noteHint(kind === 'reply' ? 'Write the reply first.' : 'Write the note first.', true);
    input.focus();
    return;
  }
  const id = d.ticket.id;
  const buttons = [$('note-add'), $('note-reply')];
  for (const b of buttons) b.disabled = true;
  noteHint(kind === 'reply' ? 'Sending…' : 'Saving…', false);
  try {
    const res = await api('POST', '/tickets/' + encodeURIComponent(id) + (kind === 'reply' ? '/reply' : '/notes'), { text: input.value });
    if (S.ticketDetail && S.ticketDetail.ticket.id === id) {
      if (res && res.note) S.ticketDetail.notes.push(res.note);
      paintNotes();
      input.value = '';
      noteHint(kind === 'reply' ? 'Reply queued: it will be emailed to ' + d.ticket.contact_email + '.' : 'Note added.', false);
    }
  } catch (err) {
    // 409 on a reply: this server has no SMTP configured; the server says so in words.
    noteHint(describe(err), true);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

export function wireTickets() {
  for (const b of document.querySelectorAll('.views button')) {
    b.addEventListener('click', () => {
      if (b.dataset.view === 'tickets') showTickets();
      else if (b.dataset.view === 'integrations') showIntegrations();
      else if (b.dataset.view === 'team') showTeam();
      else if (b.dataset.view === 'analytics') showAnalytics();
      else showChats();
    });
  }
  const filters = { 'tf-status': 'status', 'tf-priority': 'priority', 'tf-bot': 'bot', 'tf-assignee': 'assignee' };
  for (const [id, key] of Object.entries(filters)) {
    $(id).addEventListener('change', (ev) => {
      S.ticketFilter[key] = ev.currentTarget.value;
      renderTickets();
      loadTickets();
    });
  }
  $('ticket-filters').addEventListener('submit', (ev) => ev.preventDefault());
  $('ticket-status').addEventListener('change', (ev) => updateTicket('status', ev.currentTarget.value, ev.currentTarget));
  $('ticket-priority').addEventListener('change', (ev) => updateTicket('priority', ev.currentTarget.value, ev.currentTarget));
  $('ticket-assignee').addEventListener('change', (ev) => updateTicket('assignee_id', ev.currentTarget.value || null, ev.currentTarget));
  $('note-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    addNote('note');
  });
  $('note-reply').addEventListener('click', () => addNote('reply'));
  $('note-input').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      addNote('note');
    }
  });
}
