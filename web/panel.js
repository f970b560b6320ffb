/*
 * Baton Live Chat panel: login, the queue of waiting handoffs with their briefs, accepting,
 * the conversation list, and live conversations over the panel WebSocket (docs/websocket.md);
 * tickets left by visitors nobody could take live (list, filters, ticket view with the transcript,
 * assign, status, priority, notes, replies by email); handoff analytics (figures, inline SVG charts
 * with table alternatives, the CSV download); and, for admins, the ticket integrations
 * (notification email, signed webhook, delivery outbox).
 *
 * Served under a strict CSP: no inline scripts or handlers. Every piece of text from the server
 * is inserted with textContent, never parsed as HTML.
 */
(() => {
  'use strict';

  const API = '/api/v1';
  const WS_URL = location.origin.replace(/^http/, 'ws') + API + '/panel/ws';
  /** The close code of a panel socket whose session ended (docs/websocket.md). */
  const SESSION_ENDED_CLOSE = 4401;

  // ---- helpers --------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /** Builds an element. Strings among the children become text nodes (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return el;
  }

  function newClientId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'p-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  const encoder = new TextEncoder();
  const byteLength = (text) => encoder.encode(text).length;

  /** Parses the server's RFC 3339 timestamps (which may carry nanoseconds). */
  function parseTime(value) {
    if (!value) return null;
    const t = Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(t) ? null : t;
  }

  function clock(t) {
    return t ? new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
  }

  function ago(t) {
    if (!t) return '';
    const s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 45) return 'just now';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(t).toLocaleDateString();
  }

  function elapsed(t) {
    if (!t) return '';
    const s = Math.max(0, Math.floor((Date.now() - t) / 1000));
    const m = Math.floor(s / 60);
    if (m >= 60) return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
    return m + ':' + String(s % 60).padStart(2, '0');
  }

  const TRIGGERS = {
    user_request: 'Asked for a person',
    frustration: 'Frustration',
    complex_issue: 'Complex issue',
    sales_opportunity: 'Sales opportunity',
    other: 'Other',
  };
  const STATES = { ai: 'AI', waiting: 'Waiting', human: 'With agent', closed: 'Closed', lead_capture: 'Lead capture', freshchat: 'In FreshChat' };
  const TICKET_STATUSES = { open: 'Open', pending_internal: 'Pending internal', pending_visitor: 'Pending visitor', resolved: 'Resolved' };
  const PRIORITIES = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };

  function visitorLabel(c) {
    if (c && c.visitor_name) return c.visitor_name;
    const id = (c && (c.id || c.conversation_id)) || '';
    return 'Visitor ' + id.replace(/-/g, '').slice(-5);
  }

  class ApiError extends Error {
    constructor(message, fields) {
      super(message);
      Object.assign(this, fields);
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  const S = {
    agent: null,
    csrf: null,
    ws: null,
    wsReady: false,
    firstHello: true,
    reconnectAttempt: 0,
    reconnectTimer: null,
    heartbeat: null,
    pongTimer: null,
    /** handoff id → brief, for waiting handoffs. */
    queue: new Map(),
    /** conversation id → ConversationView. */
    conversations: new Map(),
    filter: '',
    /** conversation id → {messages: Map(seq → message), lastSeq, subscribed, unread, pending: Map}. */
    chats: new Map(),
    /** conversation id → {text, timer}: the bot's reply while it is streamed (delta frames). */
    drafts: new Map(),
    current: null,
    maxBytes: 4096,
    audio: null,
    typingTimer: null,
    lastTypingSent: 0,
    /** The section shown: chats, tickets, analytics or integrations. */
    view: 'chats',
    /** ticket id → ticket, as listed with the current filters. */
    tickets: new Map(),
    openTickets: null,
    ticketFilter: { status: 'unresolved', priority: '', bot: '', assignee: '' },
    ticketLoads: 0,
    currentTicket: null,
    /** {ticket, notes, transcript} of the ticket shown. */
    ticketDetail: null,
    /** agent id → agent (admins see all; others know themselves). */
    agents: new Map(),
    /** bot id → name (null while unknown). */
    bots: new Map(),
    integrations: null,
    outboxStatus: 'dead',
    /** The analytics shown, and a counter so that only the latest load paints. */
    analytics: null,
    analyticsLoads: 0,
  };

  // ---- HTTP -----------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = {};
    // A FormData body (a file) sets its own multipart Content-Type.
    const form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && S.csrf) headers['X-CSRF-Token'] = S.csrf;
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (_) {
      throw new ApiError('The server cannot be reached. Check your connection.', { network: true });
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) {
      const error = (data && data.error) || {};
      const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      const err = new ApiError(error.message || 'HTTP ' + res.status, {
        status: res.status,
        code: error.code,
        field: error.field,
        retryAfter: Number.isFinite(retry) ? retry : null,
      });
      if (res.status === 401 && S.agent && path !== '/auth/login') sessionExpired();
      throw err;
    }
    return data;
  }

  function describe(err) {
    if (err.network) return err.message;
    if (err.status === 413) return 'That message is too long (limit ' + S.maxBytes + ' bytes).';
    if (err.status === 429) {
      return err.retryAfter ? 'Too many requests; try again in ' + err.retryAfter + ' s.' : 'Too many requests; wait a moment.';
    }
    const text = err.message || 'Something went wrong.';
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // ---- toasts, sound, desktop notifications ---------------------------------------------------

  const TOASTS_SHOWN = 3;

  function toast(title, text, opts) {
    const o = opts || {};
    const body = h('div', { class: 'toast-body' }, h('strong', { text: title }), text ? h('div', { class: 'toast-text', text }) : null);
    const el = h('div', { class: 'toast ' + (o.kind || ''), role: o.kind === 'error' ? 'alert' : 'status' }, body);
    if (o.key) el.dataset.key = o.key;
    for (const action of o.actions || []) {
      el.append(
        h('button', {
          type: 'button',
          text: action.label,
          onclick: () => {
            el.remove();
            action.run();
          },
        }),
      );
    }
    el.append(h('button', { type: 'button', 'aria-label': 'Dismiss', text: '×', onclick: () => el.remove() }));
    // One stack, newest first, at most TOASTS_SHOWN: the queue in the sidebar holds the rest.
    const stack = $('toasts');
    stack.prepend(el);
    while (stack.children.length > TOASTS_SHOWN) stack.lastElementChild.remove();
    setTimeout(() => el.remove(), o.timeout || 8000);
    return el;
  }

  function dropToasts(key) {
    for (const el of $('toasts').querySelectorAll('.toast')) if (el.dataset.key === key) el.remove();
  }

  /** Browsers only let audio start after a user gesture: the context is created on the first one. */
  function unlockAudio() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!S.audio) {
      try {
        S.audio = new Ctx();
      } catch (_) {
        return;
      }
    }
    if (S.audio.state === 'suspended') S.audio.resume().catch(() => {});
  }

  function beep() {
    const ctx = S.audio;
    if (!ctx || ctx.state !== 'running') return;
    const now = ctx.currentTime;
    [880, 1175].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      const t = now + i * 0.16;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.14);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.15);
    });
  }

  function desktopNotify(title, body, onClick) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    if (document.visibilityState === 'visible' && document.hasFocus()) return;
    try {
      const n = new Notification(title, { body, tag: 'baton-' + title });
      n.onclick = () => {
        window.focus();
        n.close();
        onClick();
      };
    } catch (_) {
      /* some browsers only allow notifications from a service worker */
    }
  }

  function updateNotifyButton() {
    const button = $('notify-enable');
    button.hidden = !('Notification' in window) || Notification.permission !== 'default';
  }

  // ---- login and session ----------------------------------------------------------------------

  function showLogin(message) {
    $('loading').hidden = true;
    $('app-view').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = message || '';
    $('login-email').focus();
  }

  async function login(ev) {
    ev.preventDefault();
    const email = $('login-email').value.trim();
    const password = $('login-password').value;
    const error = $('login-error');
    if (!email || !password) {
      error.textContent = 'Enter your email and password.';
      $(email ? 'login-password' : 'login-email').focus();
      return;
    }
    $('login-submit').disabled = true;
    error.textContent = '';
    try {
      const res = await api('POST', '/auth/login', { email, password });
      $('login-password').value = '';
      enterApp(res.agent, res.csrf_token);
    } catch (err) {
      if (err.status === 401) error.textContent = 'Wrong email or password.';
      else if (err.status === 429) {
        const minutes = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
        error.textContent = 'Too many failed attempts. ' + (minutes ? 'Try again in ' + minutes + ' min.' : 'Try again later.');
      } else error.textContent = describe(err);
      // The disabled button lost focus: bring it back to the form (the error is announced).
      $('login-submit').disabled = false;
      $('login-email').focus();
    } finally {
      $('login-submit').disabled = false;
    }
  }

  function resetState() {
    disconnect();
    S.agent = null;
    S.csrf = null;
    S.queue.clear();
    S.conversations.clear();
    S.chats.clear();
    for (const draft of S.drafts.values()) clearTimeout(draft.timer);
    S.drafts.clear();
    S.current = null;
    S.firstHello = true;
    S.tickets.clear();
    S.openTickets = null;
    S.currentTicket = null;
    S.ticketDetail = null;
    S.agents.clear();
    S.bots.clear();
    S.integrations = null;
    S.team = null;
    S.savedReplies = [];
    S.editingSaved = null;
    S.editingAgent = null;
    S.teamConfirm = null;
    S.analytics = null;
    $('an-body').hidden = true;
    $('queue-list').replaceChildren();
    $('conversation-list').replaceChildren();
    $('chat-main').hidden = true;
    $('chat-empty').hidden = false;
    $('ticket-list').replaceChildren();
    $('ticket-main').hidden = true;
    $('ticket-none').hidden = false;
    hideSecret();
    showView('chats');
  }

  function sessionExpired() {
    resetState();
    showLogin('Your session has ended. Sign in again.');
  }

  async function logout() {
    try {
      await api('POST', '/auth/logout');
    } catch (_) {
      /* the cookie is gone or the server is down: either way, leave */
    }
    resetState();
    showLogin('You are logged out.');
  }

  function enterApp(agent, csrf) {
    S.agent = agent;
    S.csrf = csrf;
    $('loading').hidden = true;
    $('login-view').hidden = true;
    $('app-view').hidden = false;
    $('agent-name').textContent = agent.display_name;
    paintStatus();
    updateNotifyButton();
    renderQueue();
    $('nav-integrations').hidden = !isAdmin();
    $('nav-editor').hidden = !isAdmin();
    S.agents.set(agent.id, agent);
    renderAssigneeOptions();
    loadConversations();
    loadTickets();
    loadSavedReplies();
    if (isAdmin()) {
      loadAgents();
      loadBots();
    }
    connect();
    route();
  }

  function isAdmin() {
    return Boolean(S.agent && S.agent.role === 'admin');
  }

  /** Opens what the address names: #c=conversation, #t=ticket, #tickets, #integrations, #analytics. */
  function route() {
    const hash = location.hash;
    const conversation = /^#c=([\w-]+)$/.exec(hash);
    const ticket = /^#t=([\w-]+)$/.exec(hash);
    if (conversation) openConversation(conversation[1]);
    else if (ticket) openTicket(ticket[1]);
    else if (hash === '#tickets') showTickets();
    else if (hash === '#integrations' && isAdmin()) showIntegrations();
    else if (hash === '#team') showTeam();
    else if (hash === '#analytics') showAnalytics();
    else showView('chats');
  }

  // ---- status ---------------------------------------------------------------------------------

  function paintStatus() {
    const status = S.agent ? S.agent.status : 'away';
    $('status-online').setAttribute('aria-pressed', String(status === 'online'));
    $('status-away').setAttribute('aria-pressed', String(status === 'away'));
  }

  async function setStatus(status) {
    if (!S.agent || S.agent.status === status) return;
    const before = S.agent.status;
    S.agent.status = status;
    paintStatus();
    try {
      await api('POST', '/me/status', { status });
    } catch (err) {
      S.agent.status = before;
      paintStatus();
      toast('Could not change your status', describe(err), { kind: 'error' });
    }
  }

  function isAvailable() {
    return S.agent && S.agent.status === 'online' && S.wsReady;
  }

  // ---- the panel WebSocket --------------------------------------------------------------------

  function setConnection(state, text) {
    const el = $('connection');
    el.dataset.state = state;
    el.textContent = text;
  }

  function connect() {
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

  function disconnect() {
    clearTimeout(S.reconnectTimer);
    S.reconnectTimer = null;
    stopHeartbeat();
    const ws = S.ws;
    S.ws = null;
    S.wsReady = false;
    if (ws) ws.close(1000);
  }

  function wsSend(frame) {
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

  function reconnectNow() {
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

  // ---- the queue ------------------------------------------------------------------------------

  function queueOrder() {
    return Array.from(S.queue.values()).sort((a, b) => (parseTime(a.requested_at) || 0) - (parseTime(b.requested_at) || 0));
  }

  function handoffFor(conversationId) {
    for (const brief of S.queue.values()) if (brief.conversation_id === conversationId) return brief;
    return null;
  }

  async function reloadQueue() {
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

  function onHandoffRequested(brief) {
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
  function onHandoffEscalated(frame) {
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
  async function paintKnownVisitor(c) {
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

  function removeHandoff(id) {
    dropToasts(id);
    if (!S.queue.delete(id)) return;
    renderQueue();
    if (S.current) paintChat();
  }

  function renderQueue(freshId) {
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
  function briefDetails(brief, open) {
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

  function authorLabel(m) {
    if (m.author_kind === 'visitor') return m.author_name || 'Visitor';
    if (m.author_kind === 'bot') return (m.author_name || 'Bot') + ' (AI)';
    if (m.author_kind === 'agent') return m.author_name || 'Agent';
    return 'System';
  }

  async function accept(handoffId, button) {
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

  // ---- conversation list ----------------------------------------------------------------------

  async function loadConversations() {
    const query = '?limit=200' + (S.filter ? '&state=' + S.filter : '');
    try {
      const res = await api('GET', '/conversations' + query);
      for (const c of res.conversations || []) {
        upsertConversation(c, true);
        // The server keeps this agent's place in each conversation: unread survives reloads.
        const chat = chatFor(c.id);
        if (c.id !== S.current) chat.unread = c.unread || 0;
        chat.countedUpTo = Math.max(chat.countedUpTo || 0, c.last_seq || 0);
      }
      renderConversations();
    } catch (err) {
      if (err.status !== 401) toast('Could not load conversations', describe(err), { kind: 'error' });
    }
  }

  function isMine(c) {
    return Boolean(c && S.agent && c.state === 'human' && c.agent_id === S.agent.id);
  }

  function upsertConversation(view, quiet) {
    if (!view || !view.id) return;
    const before = S.conversations.get(view.id);
    // The list entry's preview is kept fresher locally (from followed conversations).
    if (before && before.last_seq > view.last_seq) {
      view.last_text = before.last_text;
      view.last_seq = before.last_seq;
      view.updated_at = before.updated_at;
    }
    S.conversations.set(view.id, view);
    learnBot(view.bot_id, view.bot_name);
    if (isMine(view)) subscribe(view.id);
    else if (before && isMine(before) && view.id !== S.current) unsubscribe(view.id);
    if (!quiet) renderConversations();
    if (view.id === S.current) paintChat();
  }

  function chatFor(id) {
    let chat = S.chats.get(id);
    if (!chat) {
      chat = { messages: new Map(), lastSeq: 0, subscribed: false, unread: 0, pending: new Map() };
      S.chats.set(id, chat);
    }
    return chat;
  }

  function renderConversations() {
    const list = $('conversation-list');
    const items = Array.from(S.conversations.values())
      .filter((c) => !S.filter || c.state === S.filter)
      .sort((a, b) => (parseTime(b.updated_at) || 0) - (parseTime(a.updated_at) || 0))
      .slice(0, 300);
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.conversation : null;
    list.replaceChildren(...items.map(conversationItem));
    $('conversation-empty').hidden = items.length > 0;
    if (focused) {
      const again = list.querySelector('[data-conversation="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  function conversationItem(c) {
    const chat = S.chats.get(c.id);
    const unread = chat && chat.unread && c.id !== S.current ? chat.unread : 0;
    const stateText = c.state === 'human' && c.agent_name ? (isMine(c) ? 'You' : c.agent_name) : STATES[c.state] || c.state;
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', 'data-conversation': c.id, 'aria-current': c.id === S.current ? 'true' : 'false', onclick: () => openConversation(c.id) },
        h('span', { class: 'conv-name', text: visitorLabel(c) }, c.visitor_verified ? h('span', { class: 'verified', 'aria-label': 'verified', text: '' }) : null),
        h(
          'span',
          { class: 'conv-badges' },
          unread ? h('span', { class: 'unread', 'aria-label': unread + ' unread', text: String(unread) }) : null,
          h('span', { class: 'state ' + c.state, text: stateText }),
        ),
        h('span', { class: 'conv-last', text: (c.last_text || 'No messages yet') }),
        h('span', { class: 'conv-time', 'data-time': String(parseTime(c.updated_at) || ''), text: c.bot_name + ' · ' + ago(parseTime(c.updated_at)) }),
      ),
    );
  }

  /**
   * Makes a role=tablist of buttons behave like tabs: one tab stop (the selected tab), arrow keys
   * move to the previous or next tab and select it, Home and End to the first and last.
   */
  function rovingTabs(list) {
    const tabs = () => Array.from(list.querySelectorAll('[role="tab"]')).filter((t) => !t.hidden);
    const sync = () => {
      for (const t of tabs()) t.tabIndex = t.getAttribute('aria-selected') === 'true' ? 0 : -1;
    };
    sync();
    new MutationObserver(sync).observe(list, { subtree: true, attributeFilter: ['aria-selected'] });
    list.addEventListener('keydown', (ev) => {
      const all = tabs();
      const at = all.indexOf(document.activeElement);
      if (at < 0) return;
      let next = null;
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') next = all[(at + 1) % all.length];
      else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') next = all[(at - 1 + all.length) % all.length];
      else if (ev.key === 'Home') next = all[0];
      else if (ev.key === 'End') next = all[all.length - 1];
      if (!next) return;
      ev.preventDefault();
      next.focus();
      next.click();
    });
  }

  function setFilter(filter) {
    S.filter = filter;
    for (const b of document.querySelectorAll('.conversations .filters button')) b.setAttribute('aria-selected', String(b.dataset.filter === filter));
    renderConversations();
    loadConversations();
  }

  // ---- a conversation -------------------------------------------------------------------------

  function subscribe(id) {
    const chat = chatFor(id);
    if (chat.subscribed || !S.wsReady) return;
    if (wsSend({ type: 'subscribe', conversation_id: id, after: chat.lastSeq })) chat.subscribed = true;
  }

  function unsubscribe(id) {
    const chat = S.chats.get(id);
    if (!chat || !chat.subscribed) return;
    wsSend({ type: 'unsubscribe', conversation_id: id });
    chat.subscribed = false;
  }

  async function openConversation(id) {
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

  function paintChat() {
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

  function messageElement(m) {
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
  async function sendFile() {
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

  function onMessage(m) {
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

  function onTyping(frame) {
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

  // ---- the bot's reply while it is streamed (read-only preview) ----------------------------------

  const DRAFT_IDLE_MS = 60000;

  function onDelta(frame) {
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

  function dropDraft(id) {
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

  function onState(frame) {
    if (frame.state && frame.state !== 'ai' && frame.state !== 'waiting') dropDraft(frame.conversation_id);
    const view = S.conversations.get(frame.conversation_id);
    if (!view || !frame.state) return;
    view.state = frame.state;
    view.agent_name = frame.agent_name || null;
    if (frame.state !== 'human') view.agent_id = null;
    renderConversations();
    if (frame.conversation_id === S.current) paintChat();
  }

  // ---- sending --------------------------------------------------------------------------------

  function submit(ev) {
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
  async function pump(id) {
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

  function updateCounter() {
    const bytes = byteLength($('composer-input').value);
    const over = bytes > S.maxBytes;
    if (over) hint('Too long: ' + bytes + ' of ' + S.maxBytes + ' bytes.', true);
    else if (bytes > S.maxBytes * 0.8) hint(bytes + ' of ' + S.maxBytes + ' bytes.', false);
    else hint('', false);
    const c = S.conversations.get(S.current);
    $('composer-send').disabled = over || !isMine(c);
  }

  function sendTyping() {
    const now = Date.now();
    if (!S.current || now - S.lastTypingSent < 2500 || !$('composer-input').value.trim()) return;
    S.lastTypingSent = now;
    wsSend({ type: 'typing', conversation_id: S.current });
  }

  async function conversationAction(action, button) {
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

  // ---- sections ---------------------------------------------------------------------------------

  function showView(view) {
    if (view === 'integrations' && !isAdmin()) view = 'chats';
    S.view = view;
    $('chats-view').hidden = view !== 'chats';
    $('tickets-view').hidden = view !== 'tickets';
    $('integrations-view').hidden = view !== 'integrations';
    $('team-view').hidden = view !== 'team';
    $('analytics-view').hidden = view !== 'analytics';
    for (const b of document.querySelectorAll('.views button')) b.setAttribute('aria-current', b.dataset.view === view ? 'page' : 'false');
    if (view !== 'integrations') hideSecret();
    if (view !== 'team') hideTeamReveal();
  }

  function showChats() {
    showView('chats');
    history.replaceState(null, '', S.current ? '#c=' + S.current : location.pathname);
  }

  function showTickets() {
    showView('tickets');
    history.replaceState(null, '', S.currentTicket ? '#t=' + S.currentTicket : '#tickets');
    loadTickets();
  }

  function showIntegrations() {
    if (!isAdmin()) return;
    showView('integrations');
    history.replaceState(null, '', '#integrations');
    loadIntegrations();
    loadOutbox();
  }

  // ---- analytics ------------------------------------------------------------------------------

  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** Builds an SVG element (attributes as strings; text only through textContent). */
  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  const OUTCOME_LABELS = {
    accepted: 'Accepted',
    cancelled: 'Cancelled by the visitor',
    expired: 'Expired (nobody accepted)',
    offline: 'Offline',
    waiting: 'Still waiting',
    routed: 'Routed to FreshChat',
  };
  const OFFLINE_LABELS = {
    handoff_disabled: 'Handoff turned off',
    never_available: 'Never available',
    schedule_closed: 'Outside working hours',
    nobody_available: 'Nobody available',
  };
  const TRIGGER_LABELS = {
    user_request: 'Visitor asked for a person',
    frustration: 'Frustration',
    complex_issue: 'Complex issue',
    sales_opportunity: 'Sales opportunity',
    other: 'Other (including agents joining)',
  };

  /** A wait in seconds as words: "45 s", "2 min 5 s", "1 h 3 min"; an em dash when unknown. */
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
    const m = Math.floor((s % 3600) / 60);
    return Math.floor(s / 3600) + ' h' + (m ? ' ' + m + ' min' : '');
  }

  function hourLabel(hour) {
    return String(hour).padStart(2, '0') + ':00';
  }

  /** A date input's value (YYYY-MM-DD) for a Date, in the browser's zone. */
  function dateValue(d) {
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  /** Local midnight of a date input's value, or null. */
  function localMidnight(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
    if (!m) return null;
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return Number.isNaN(d.getTime()) ? null : d;
  }

  function setPreset(days) {
    const today = new Date();
    const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
    $('an-from').value = dateValue(from);
    $('an-to').value = dateValue(today);
  }

  /** The query of the chosen range and bot: the From day's start to the end of the To day. */
  function analyticsQuery() {
    const from = localMidnight($('an-from').value);
    const toDay = localMidnight($('an-to').value);
    if (!from) return { error: 'Choose a start date.', field: 'an-from' };
    if (!toDay) return { error: 'Choose an end date.', field: 'an-to' };
    if (from > toDay) return { error: 'The start date is after the end date.', field: 'an-from' };
    const to = new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1);
    const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    if ($('an-bot').value) params.set('bot_id', $('an-bot').value);
    return { query: params.toString() };
  }

  function showAnalytics() {
    showView('analytics');
    history.replaceState(null, '', '#analytics');
    if (!$('an-from').value || !$('an-to').value) setPreset(7);
    loadAnalytics();
  }

  async function loadAnalytics() {
    const q = analyticsQuery();
    $('an-error').textContent = q.error || '';
    for (const id of ['an-from', 'an-to']) $(id).setAttribute('aria-invalid', String(q.field === id));
    if (q.error) return;
    $('an-csv').href = API + '/analytics/handoffs?' + q.query + '&format=csv';
    $('an-status').textContent = 'Loading…';
    const load = (S.analyticsLoads = (S.analyticsLoads || 0) + 1);
    try {
      const data = await api('GET', '/analytics/handoffs?' + q.query);
      if (load !== S.analyticsLoads) return;
      S.analytics = data;
      paintAnalytics(data);
      $('an-status').textContent = data.total === 1 ? '1 handoff in this range.' : data.total + ' handoffs in this range.';
    } catch (err) {
      if (load !== S.analyticsLoads) return;
      $('an-status').textContent = '';
      $('an-error').textContent = describe(err);
    }
  }

  function paintAnalytics(d) {
    const bots = (d.bots || []).slice().sort((a, b) => a.name.localeCompare(b.name));
    for (const b of bots) learnBot(b.id, b.name);
    fillSelect($('an-bot'), [['', 'All bots'], ...bots.map((b) => [b.id, b.name])], d.bot_id || '');
    $('an-body').hidden = false;

    const o = d.outcomes;
    const cards = [
      ['an-total', 'Handoffs', String(d.total)],
      ['an-accepted', 'Accepted', String(o.accepted)],
      ['an-accept-p50', 'Time to accept (median)', duration(d.time_to_accept.p50_seconds)],
      ['an-accept-p90', 'Time to accept (90th percentile)', duration(d.time_to_accept.p90_seconds)],
      ['an-accept-max', 'Longest time to accept', duration(d.time_to_accept.max_seconds)],
      ['an-cancel-p50', 'Wait before cancelling (median)', duration(d.wait_before_cancel.p50_seconds)],
      ['an-offers', 'Lead-capture offers', String(d.lead_capture.offers)],
      ['an-tickets', 'Tickets created', String(d.lead_capture.tickets_created)],
    ];
    $('an-cards').replaceChildren(...cards.map(([id, label, value]) => h('div', null, h('dt', { text: label }), h('dd', { id, text: value }))));

    // Outcomes: one stacked bar, its legend, and the table with offline reasons beneath.
    const names = Object.keys(OUTCOME_LABELS);
    const total = names.reduce((n, k) => n + (o[k] || 0), 0);
    const summary = total
      ? 'Outcomes of ' + total + ' handoffs: ' + names.filter((k) => o[k]).map((k) => OUTCOME_LABELS[k].toLowerCase() + ' ' + o[k]).join(', ') + '.'
      : 'No handoffs in this range.';
    const chart = svg('svg', { viewBox: '0 0 600 28', role: 'img', 'aria-labelledby': 'an-outcomes-svg-title', preserveAspectRatio: 'none' });
    chart.append(svg('title', { id: 'an-outcomes-svg-title' }, summary));
    let x = 0;
    for (const k of names) {
      if (!o[k] || !total) continue;
      const w = (o[k] / total) * 600;
      chart.append(svg('rect', { x: x.toFixed(2), y: 0, width: w.toFixed(2), height: 28, class: 'an-o-' + k }));
      x += w;
    }
    if (!total) chart.append(svg('rect', { x: 0, y: 0, width: 600, height: 28, fill: '#f3f4f6' }));
    const legend = h('ul', { class: 'an-legend', 'aria-hidden': 'true' }, names.filter((k) => o[k]).map((k) => h('li', null, h('span', { class: 'an-swatch an-o-' + k }), OUTCOME_LABELS[k] + ' ' + o[k])));
    $('an-outcomes-chart').replaceChildren(chart, legend);
    const rows = [];
    for (const k of names) {
      rows.push(h('tr', { 'data-outcome': k }, h('td', { text: OUTCOME_LABELS[k] }), h('td', { text: String(o[k] || 0) })));
      if (k === 'offline') {
        for (const [reason, label] of Object.entries(OFFLINE_LABELS)) {
          const n = (d.offline_by_reason || {})[reason] || 0;
          rows.push(h('tr', { class: 'an-sub', 'data-reason': reason }, h('td', { text: label }), h('td', { text: String(n) })));
        }
      }
    }
    $('an-outcomes-table').tBodies[0].replaceChildren(...rows);

    // Hours of the day: 24 bars.
    const hours = d.by_hour || [];
    const peak = Math.max(0, ...hours);
    $('an-hours-zone').textContent = d.time_zone ? 'Hours in ' + d.time_zone + '.' : "Hours on each bot's own clock (its schedule's time zone).";
    const busiest = hours.indexOf(peak);
    const hoursSummary = peak
      ? 'Handoffs by hour of day: busiest ' + hourLabel(busiest) + ' with ' + peak + '; ' + hours.filter((n) => n > 0).length + ' of 24 hours had handoffs.'
      : 'Handoffs by hour of day: none in this range.';
    const W = 600, H = 180, top = 10, bottom = 22, left = 28, slot = (W - left) / 24;
    const hoursChart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'an-hours-svg-title' });
    hoursChart.append(svg('title', { id: 'an-hours-svg-title' }, hoursSummary));
    const scale = peak || 1;
    hoursChart.append(svg('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, stroke: '#e5e7eb' }));
    hoursChart.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, String(peak)));
    hoursChart.append(svg('text', { x: left - 4, y: H - bottom, 'text-anchor': 'end' }, '0'));
    hours.forEach((n, hour) => {
      const barH = ((H - top - bottom) * n) / scale;
      const bar = svg('rect', { x: (left + hour * slot + 2).toFixed(2), y: (H - bottom - barH).toFixed(2), width: (slot - 4).toFixed(2), height: barH.toFixed(2), class: 'an-bar', 'data-hour': hour });
      bar.append(svg('title', null, hourLabel(hour) + ': ' + n));
      hoursChart.append(bar);
      if (hour % 3 === 0) hoursChart.append(svg('text', { x: (left + hour * slot + slot / 2).toFixed(2), y: H - 6, 'text-anchor': 'middle' }, String(hour).padStart(2, '0')));
    });
    $('an-hours-chart').replaceChildren(hoursChart);
    $('an-hours-table').tBodies[0].replaceChildren(...hours.map((n, hour) => h('tr', null, h('td', { text: hourLabel(hour) + '–' + String(hour).padStart(2, '0') + ':59' }), h('td', { text: String(n) }))));

    $('an-triggers-table').tBodies[0].replaceChildren(...Object.entries(TRIGGER_LABELS).map(([k, label]) => h('tr', { 'data-trigger': k }, h('td', { text: label }), h('td', { text: String((d.by_trigger || {})[k] || 0) }))));

    const agents = d.agents || [];
    $('an-agents-table').tBodies[0].replaceChildren(...agents.map((a) => h('tr', { 'data-agent': a.agent_id }, h('td', { text: a.name || 'Agent ' + shortId(a.agent_id) }), h('td', { text: String(a.accepted) }), h('td', { text: String(a.resolved) }), h('td', { text: duration(a.first_response_p50_seconds) }))));
    $('an-agents-table').hidden = agents.length === 0;
    $('an-agents-empty').hidden = agents.length > 0;
  }

  function wireAnalytics() {
    $('an-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      loadAnalytics();
    });
    for (const b of document.querySelectorAll('.an-presets button')) {
      b.addEventListener('click', () => {
        setPreset(Number(b.dataset.days));
        loadAnalytics();
      });
    }
    $('an-bot').addEventListener('change', loadAnalytics);
  }

  // ---- tickets --------------------------------------------------------------------------------

  function chip(kind, value) {
    const labels = kind === 'status' ? TICKET_STATUSES : PRIORITIES;
    return h('span', { class: 'chip ' + kind + '-' + value, text: labels[value] || value });
  }

  function shortId(id) {
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
  function learnBot(id, name) {
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
  function fillSelect(select, options, value) {
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

  function renderAssigneeOptions() {
    if (!S.agent) return;
    fillSelect(
      $('tf-assignee'),
      [['', 'Anyone'], [S.agent.id, 'Me'], ...otherAgents().map((a) => [a.id, a.display_name])],
      S.ticketFilter.assignee,
    );
  }

  async function loadAgents() {
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

  async function loadBots() {
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

  async function loadTickets() {
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

  function renderTickets(freshId) {
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

  function onTicketEvent(frame, created) {
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

  async function openTicket(id) {
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

  function wireTickets() {
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

  // ---- team: agents (admins) and your own password (everyone) ------------------------------------

  function showTeam() {
    showView('team');
    history.replaceState(null, '', '#team');
    $('team-card').hidden = !isAdmin();
    $('agent-form-card').hidden = !isAdmin();
    if (isAdmin()) loadTeam();
    $('saved-form').hidden = !isAdmin();
    loadSavedReplies();
  }

  async function loadTeam() {
    try {
      const res = await api('GET', '/agents');
      S.team = res.agents || [];
      for (const a of S.team) S.agents.set(a.id, a);
    } catch (err) {
      if (err.status !== 401) toast('Could not load the team', describe(err), { kind: 'error' });
      return;
    }
    paintTeam();
  }

  function presenceText(a) {
    if (!a.active) return 'Deactivated';
    if (!a.connected) return 'Offline';
    return a.status === 'online' ? 'Online' : 'Away';
  }

  function paintTeam() {
    const rows = $('team-rows');
    rows.replaceChildren();
    for (const a of S.team || []) {
      const me = S.agent && a.id === S.agent.id;
      const actions = h('td', { class: 'team-actions' },
        h('button', { type: 'button', onclick: () => editAgent(a), 'aria-label': 'Edit ' + a.display_name }, 'Edit'),
        h('button', { type: 'button', onclick: () => confirmReset(a), 'aria-label': 'Reset password of ' + a.display_name }, 'Reset password'),
        a.active
          ? h('button', { type: 'button', class: 'danger', onclick: () => confirmActive(a, false), 'aria-label': 'Deactivate ' + a.display_name }, 'Deactivate')
          : h('button', { type: 'button', onclick: () => confirmActive(a, true), 'aria-label': 'Reactivate ' + a.display_name }, 'Reactivate'));
      rows.append(h('tr', { 'data-agent': a.id, class: a.active ? '' : 'inactive' },
        h('th', { scope: 'row', text: a.display_name + (me ? ' (you)' : '') }),
        h('td', { text: a.email }),
        h('td', { text: a.role === 'admin' ? 'Admin' : 'Agent' }),
        h('td', { text: String(a.max_chats) }),
        h('td', { class: 'presence', 'data-presence': presenceText(a).toLowerCase(), text: presenceText(a) }),
        h('td', { text: a.active ? 'Active' : 'Deactivated' }),
        actions));
    }
  }

  function onTeamPresence(frame) {
    if (!S.team) return;
    const a = S.team.find((x) => x.id === frame.agent_id);
    if (!a) return;
    a.status = frame.status;
    a.connected = Boolean(frame.online) || (a.connected && frame.status === 'away');
    if (frame.display_name) a.display_name = frame.display_name;
    if (S.view === 'team') loadTeam();
  }

  function agentFormErrors(prefix, fields, err) {
    for (const f of fields) fieldError(prefix + f, '');
    if (err && err.field && fields.includes(err.field)) {
      fieldError(prefix + err.field, describe(err));
      $(prefix + err.field).focus();
      return true;
    }
    return false;
  }

  const AGENT_FIELDS = ['email', 'display_name', 'role', 'max_chats'];

  function editAgent(a) {
    S.editingAgent = a.id;
    $('agent-form-title').textContent = 'Edit ' + a.display_name;
    $('af-email').value = a.email;
    $('af-email').disabled = true;
    $('af-display_name').value = a.display_name;
    $('af-role').value = a.role;
    $('af-max_chats').value = String(a.max_chats);
    $('af-save').textContent = 'Save changes';
    $('af-cancel').hidden = false;
    $('af-status').textContent = '';
    agentFormErrors('af-', AGENT_FIELDS, null);
    $('agent-form-card').scrollIntoView({ block: 'nearest' });
    $('af-display_name').focus();
  }

  function resetAgentForm() {
    S.editingAgent = null;
    $('agent-form').reset();
    $('agent-form-title').textContent = 'Add an agent';
    $('af-email').disabled = false;
    $('af-max_chats').value = '5';
    $('af-save').textContent = 'Add agent';
    $('af-cancel').hidden = true;
    agentFormErrors('af-', AGENT_FIELDS, null);
  }

  async function saveAgent(ev) {
    ev.preventDefault();
    const body = {
      display_name: $('af-display_name').value.trim(),
      role: $('af-role').value,
      max_chats: Number.parseInt($('af-max_chats').value, 10),
    };
    if (!Number.isFinite(body.max_chats)) {
      agentFormErrors('af-', AGENT_FIELDS, null);
      fieldError('af-max_chats', 'Enter a number from 1 to 100.');
      $('af-max_chats').focus();
      return;
    }
    const editing = S.editingAgent;
    if (!editing) body.email = $('af-email').value.trim();
    $('af-save').disabled = true;
    $('af-status').textContent = 'Saving…';
    try {
      if (editing) {
        await api('PATCH', '/agents/' + encodeURIComponent(editing), body);
        $('af-status').textContent = 'Saved.';
        resetAgentForm();
      } else {
        const res = await api('POST', '/agents', body);
        resetAgentForm();
        $('af-status').textContent = res.agent.display_name + ' was added.';
        revealTeamPassword('Copy ' + res.agent.display_name + "'s password now.", res.password);
      }
      agentFormErrors('af-', AGENT_FIELDS, null);
      loadTeam();
    } catch (err) {
      $('af-status').textContent = '';
      if (!agentFormErrors('af-', AGENT_FIELDS, err)) $('af-status').textContent = describe(err);
    } finally {
      $('af-save').disabled = false;
    }
  }

  /** Asks before a change that signs someone out; `run` does it. */
  function teamConfirm(text, yes, run) {
    hideTeamReveal();
    $('team-confirm-text').textContent = text;
    $('team-confirm-yes').textContent = yes;
    $('team-confirm').hidden = false;
    S.teamConfirm = run;
    $('team-confirm-no').focus();
  }

  function closeTeamConfirm() {
    $('team-confirm').hidden = true;
    S.teamConfirm = null;
  }

  function confirmActive(a, active) {
    if (active) {
      setActive(a, true);
      return;
    }
    teamConfirm(
      'Deactivate ' + a.display_name + '? They are signed out at once and cannot log in; any chat they are in goes back to the queue, and its visitor is told.',
      'Deactivate ' + a.display_name,
      () => setActive(a, false));
  }

  async function setActive(a, active) {
    try {
      await api('PATCH', '/agents/' + encodeURIComponent(a.id), { active });
      toast(active ? a.display_name + ' is active again' : a.display_name + ' was deactivated', '', { kind: 'ok' });
    } catch (err) {
      toast(active ? 'Could not reactivate ' + a.display_name : 'Could not deactivate ' + a.display_name, describe(err), { kind: 'error' });
    }
    loadTeam();
  }

  function confirmReset(a) {
    teamConfirm(
      'Give ' + a.display_name + ' a new password? Their current password stops working and they are signed out everywhere.',
      'Reset password',
      () => resetPassword(a));
  }

  async function resetPassword(a) {
    try {
      const res = await api('POST', '/agents/' + encodeURIComponent(a.id) + '/password', {});
      revealTeamPassword('Copy ' + a.display_name + "'s new password now.", res.password);
    } catch (err) {
      toast('Could not reset the password', describe(err), { kind: 'error' });
    }
  }

  function revealTeamPassword(title, password) {
    $('team-reveal-title').textContent = title;
    $('team-reveal-value').value = password;
    $('team-reveal-status').textContent = '';
    $('team-reveal').hidden = false;
    $('team-reveal-value').focus();
    $('team-reveal-value').select();
  }

  function hideTeamReveal() {
    $('team-reveal-value').value = '';
    $('team-reveal').hidden = true;
  }

  async function changeOwnPassword(ev) {
    ev.preventDefault();
    const fields = ['current_password', 'password'];
    const body = { current_password: $('op-current_password').value, password: $('op-password').value };
    $('op-save').disabled = true;
    $('op-status').textContent = 'Saving…';
    try {
      await api('POST', '/agents/' + encodeURIComponent(S.agent.id) + '/password', body);
      $('own-password-form').reset();
      agentFormErrors('op-', fields, null);
      $('op-status').textContent = 'Your password was changed; your other sessions were signed out.';
    } catch (err) {
      $('op-status').textContent = '';
      if (!agentFormErrors('op-', fields, err)) $('op-status').textContent = describe(err);
    } finally {
      $('op-save').disabled = false;
    }
  }

  function wireTeam() {
    $('agent-form').addEventListener('submit', saveAgent);
    $('af-cancel').addEventListener('click', resetAgentForm);
    $('team-confirm-no').addEventListener('click', closeTeamConfirm);
    $('team-confirm-yes').addEventListener('click', () => {
      const run = S.teamConfirm;
      closeTeamConfirm();
      if (run) run();
    });
    $('team-reveal-copy').addEventListener('click', () => copyFrom($('team-reveal-value'), $('team-reveal-status')));
    $('team-reveal-done').addEventListener('click', hideTeamReveal);
    $('own-password-form').addEventListener('submit', changeOwnPassword);
  }

  // ---- saved replies: `/shortcut` in the reply box, a picker, and their list in Team --------------

  async function loadSavedReplies() {
    try {
      const res = await api('GET', '/saved-replies');
      S.savedReplies = res.saved_replies || [];
    } catch (_) {
      return;
    }
    paintSavedReplies();
  }

  /** A saved reply's text with the visitor's and the agent's names filled in. */
  function fillReply(text) {
    const c = S.conversations.get(S.current);
    const visitor = c && c.visitor_name ? c.visitor_name : 'there';
    const agent = S.agent ? S.agent.display_name : '';
    return text.replaceAll('{visitor_name}', visitor).replaceAll('{agent_name}', agent);
  }

  /** The saved replies whose shortcut matches what follows `/` (prefix matches first). */
  function pickerMatches(query) {
    const q = query.toLowerCase();
    const all = S.savedReplies || [];
    const starts = all.filter((r) => r.shortcut.startsWith(q));
    const contains = all.filter((r) => !r.shortcut.startsWith(q) && (r.shortcut.includes(q) || r.text.toLowerCase().includes(q)));
    return [...starts, ...contains].slice(0, 8);
  }

  function updatePicker() {
    const input = $('composer-input');
    const m = /^\/([\w-]*)$/.exec(input.value);
    if (!m || input.disabled) {
      closePicker();
      return;
    }
    openPicker(m[1]);
  }

  function openPicker(query) {
    const matches = pickerMatches(query);
    S.picker = { matches, active: 0 };
    const list = $('saved-picker');
    if (!matches.length) {
      list.replaceChildren(h('li', { class: 'saved-none', role: 'option', 'aria-disabled': 'true', text: (S.savedReplies || []).length ? 'No saved reply matches /' + query : 'No saved replies yet (admins add them under Team)' }));
    } else {
      list.replaceChildren(...matches.map((r, i) => h('li', {
        id: 'saved-option-' + i,
        role: 'option',
        'aria-selected': String(i === 0),
        class: 'saved-option',
        onmousedown: (ev) => { ev.preventDefault(); insertSaved(r); },
      }, h('b', { text: '/' + r.shortcut }), ' ', h('span', { class: 'saved-text', text: r.text }))));
    }
    list.hidden = false;
    const input = $('composer-input');
    input.setAttribute('aria-expanded', 'true');
    if (matches.length) input.setAttribute('aria-activedescendant', 'saved-option-0');
    else input.removeAttribute('aria-activedescendant');
  }

  function closePicker() {
    S.picker = null;
    $('saved-picker').hidden = true;
    $('saved-picker').replaceChildren();
    $('composer-input').setAttribute('aria-expanded', 'false');
    $('composer-input').removeAttribute('aria-activedescendant');
  }

  /** Arrow keys, Enter, Tab and Escape while the picker is open; true when the key was used. */
  function pickerKey(ev) {
    const p = S.picker;
    if (!p) return false;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      closePicker();
      return true;
    }
    if (!p.matches.length) return false;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = p.matches.length;
      p.active = (p.active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      for (const [i, li] of [...$('saved-picker').children].entries()) li.setAttribute('aria-selected', String(i === p.active));
      $('composer-input').setAttribute('aria-activedescendant', 'saved-option-' + p.active);
      return true;
    }
    if ((ev.key === 'Enter' && !ev.shiftKey) || ev.key === 'Tab') {
      ev.preventDefault();
      insertSaved(p.matches[p.active]);
      return true;
    }
    return false;
  }

  function insertSaved(reply) {
    const input = $('composer-input');
    input.value = fillReply(reply.text);
    closePicker();
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    updateCounter();
  }

  function paintSavedReplies() {
    const list = $('saved-list');
    const admin = isAdmin();
    list.replaceChildren(...(S.savedReplies || []).map((r) => h('li', { class: 'saved-item' },
      h('div', { class: 'saved-head' },
        h('b', { text: '/' + r.shortcut }),
        admin ? h('span', { class: 'saved-actions' },
          h('button', { type: 'button', 'aria-label': 'Edit /' + r.shortcut, onclick: () => editSaved(r) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': 'Delete /' + r.shortcut, onclick: () => deleteSaved(r) }, 'Delete')) : null),
      h('p', { class: 'saved-text prewrap', text: r.text }))));
    $('saved-empty').hidden = (S.savedReplies || []).length > 0;
  }

  function editSaved(r) {
    S.editingSaved = r.id;
    $('saved-form-title').textContent = 'Edit /' + r.shortcut;
    $('sr-shortcut').value = r.shortcut;
    $('sr-text').value = r.text;
    $('sr-save').textContent = 'Save changes';
    $('sr-cancel').hidden = false;
    $('sr-status').textContent = '';
    $('sr-shortcut').focus();
  }

  function resetSavedForm() {
    S.editingSaved = null;
    $('saved-form').reset();
    $('saved-form-title').textContent = 'Add a saved reply';
    $('sr-save').textContent = 'Add saved reply';
    $('sr-cancel').hidden = true;
    agentFormErrors('sr-', ['shortcut', 'text'], null);
  }

  async function saveSaved(ev) {
    ev.preventDefault();
    const body = { shortcut: $('sr-shortcut').value.trim(), text: $('sr-text').value };
    const editing = S.editingSaved;
    $('sr-save').disabled = true;
    try {
      if (editing) await api('PUT', '/saved-replies/' + encodeURIComponent(editing), body);
      else await api('POST', '/saved-replies', body);
      resetSavedForm();
      $('sr-status').textContent = editing ? 'Saved.' : 'Added /' + body.shortcut.replace(/^\//, '').toLowerCase() + '.';
      loadSavedReplies();
    } catch (err) {
      $('sr-status').textContent = '';
      if (!agentFormErrors('sr-', ['shortcut', 'text'], err)) $('sr-status').textContent = describe(err);
    } finally {
      $('sr-save').disabled = false;
    }
  }

  async function deleteSaved(r) {
    try {
      await api('DELETE', '/saved-replies/' + encodeURIComponent(r.id));
      $('sr-status').textContent = 'Deleted /' + r.shortcut + '.';
    } catch (err) {
      toast('Could not delete /' + r.shortcut, describe(err), { kind: 'error' });
    }
    if (S.editingSaved === r.id) resetSavedForm();
    loadSavedReplies();
  }

  function wireSavedReplies() {
    $('saved-form').addEventListener('submit', saveSaved);
    $('sr-cancel').addEventListener('click', resetSavedForm);
    $('composer-attach').addEventListener('click', () => $('composer-file').click());
    $('composer-file').addEventListener('change', sendFile);
    $('saved-open').addEventListener('click', () => {
      const input = $('composer-input');
      if (input.disabled) return;
      if (!input.value.trim()) input.value = '/';
      input.focus();
      if (/^\/[\w-]*$/.test(input.value)) openPicker(input.value.slice(1));
      else openPicker('');
    });
    $('composer-input').addEventListener('blur', () => setTimeout(() => {
      if (document.activeElement !== $('composer-input')) closePicker();
    }, 150));
  }

  // ---- integrations (admins) ------------------------------------------------------------------

  function fieldError(inputId, text) {
    $(inputId + '-error').textContent = text || '';
    if (text) $(inputId).setAttribute('aria-invalid', 'true');
    else $(inputId).removeAttribute('aria-invalid');
  }

  function intStatus(text, error) {
    const el = $('int-status');
    el.textContent = text;
    el.style.color = error ? 'var(--danger)' : '';
  }

  async function loadIntegrations() {
    try {
      S.integrations = await api('GET', '/integrations');
      paintIntegrations(true);
      // The forms hold the saved values now (tests wait for this before typing).
      $('integrations-view').dataset.loaded = 'true';
    } catch (err) {
      if (err.status !== 401) toast('Could not load the integrations', describe(err), { kind: 'error' });
    }
  }

  function paintIntegrations(fill) {
    const i = S.integrations || {};
    if (fill) {
      $('int-email').value = i.notification_email || '';
      $('int-webhook').value = i.webhook_url || '';
    }
    paintAi(fill);
    paintFreshchat(fill);
    paintIdentity();
    $('secret-state').textContent = i.webhook_secret_set
      ? 'A secret is set. It is never shown again: rotate it to get a new one.'
      : 'No secret yet. One is created with the first webhook URL, or rotate to create one now.';
  }

  async function saveIntegrations(ev) {
    ev.preventDefault();
    fieldError('int-email', '');
    fieldError('int-webhook', '');
    intStatus('Saving…', false);
    const email = $('int-email').value.trim();
    const url = $('int-webhook').value.trim();
    $('int-save').disabled = true;
    try {
      const res = await api('PUT', '/integrations', { notification_email: email || null, webhook_url: url || null });
      const secret = res && typeof res.webhook_secret === 'string' ? res.webhook_secret : null;
      if (res) delete res.webhook_secret;
      S.integrations = res;
      paintIntegrations(true);
      intStatus('Saved.', false);
      if (secret) {
        // The first webhook URL made a secret: the server shows it in this answer, once.
        revealSecret(secret);
        intStatus('Saved. The webhook signing secret is below.', false);
      }
    } catch (err) {
      const fields = { notification_email: 'int-email', webhook_url: 'int-webhook' };
      if (err.status === 400 && fields[err.field]) {
        fieldError(fields[err.field], describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
        $(fields[err.field]).focus();
        intStatus('', false);
      } else {
        intStatus(describe(err), true);
      }
    } finally {
      $('int-save').disabled = false;
    }
  }

  // ---- the workspace's own AI model (OpenAI-compatible); the key is write-only ----------------

  /** What Save does with the API key: 'keep' it, 'replace' it with the typed one, or 'remove' it. */
  let aiKeyMode = 'keep';

  function aiStatus(text, error) {
    const el = $('ai-status');
    el.textContent = text;
    el.style.color = error ? 'var(--danger)' : '';
  }

  function clearAiErrors() {
    fieldError('ai-base-url', '');
    fieldError('ai-model', '');
    fieldError('ai-key', '');
  }

  function paintAi(fill) {
    const i = S.integrations || {};
    if (fill) {
      $('ai-base-url').value = i.llm_base_url || '';
      $('ai-model').value = i.llm_model || '';
      $('ai-key').value = '';
      aiKeyMode = 'keep';
    }
    paintAiKey();
  }

  function paintAiKey() {
    const set = !!(S.integrations && S.integrations.llm_api_key_set);
    const mode = set ? aiKeyMode : 'replace';
    $('ai-key-set').hidden = !set;
    $('ai-key-state').textContent =
      mode === 'remove'
        ? 'The key will be removed when you save.'
        : mode === 'replace'
          ? 'A key is set. Type a new one to replace it.'
          : 'A key is set. It is never shown.';
    $('ai-key-replace').hidden = mode === 'replace';
    $('ai-key-remove').hidden = mode === 'remove';
    $('ai-key').hidden = mode !== 'replace';
    $('ai-key').placeholder = set ? 'New API key' : 'Optional — not needed for a local model';
  }

  function aiFailed(err) {
    const fields = { llm_base_url: 'ai-base-url', llm_model: 'ai-model', llm_api_key: 'ai-key' };
    if (err.status === 400 && fields[err.field]) {
      const id = fields[err.field];
      fieldError(id, describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
      if (!$(id).hidden) $(id).focus();
      aiStatus('', false);
    } else {
      aiStatus(describe(err), true);
    }
  }

  async function putAi(body, done) {
    clearAiErrors();
    aiStatus('Saving…', false);
    $('ai-save').disabled = true;
    $('ai-builtin').disabled = true;
    try {
      const res = await api('PUT', '/integrations', body);
      if (res) {
        delete res.webhook_secret;
        delete res.llm_api_key;
      }
      S.integrations = res;
      $('ai-key').value = '';
      aiKeyMode = 'keep';
      paintAi(true);
      aiStatus(done, false);
    } catch (err) {
      aiFailed(err);
    } finally {
      $('ai-save').disabled = false;
      $('ai-builtin').disabled = false;
    }
  }

  function saveAi(ev) {
    ev.preventDefault();
    const body = {
      llm_base_url: $('ai-base-url').value.trim() || null,
      llm_model: $('ai-model').value.trim() || null,
    };
    const key = $('ai-key').value.trim();
    if (aiKeyMode === 'remove') body.llm_api_key = null;
    else if (key) body.llm_api_key = key;
    return putAi(body, 'Saved.');
  }

  function useBuiltinEngine() {
    return putAi({ llm_base_url: null, llm_model: null }, 'Saved. The built-in engine answers.');
  }

  // ---- FreshChat routing (docs/freshchat.md); the API token is write-only ----------------------

  /** What Save does with the API token: 'keep' it, 'replace' it with the typed one, or 'remove' it. */
  let fcTokenMode = 'keep';
  const FC_FIELDS = {
    freshchat_api_url: 'fc-url',
    freshchat_api_token: 'fc-token',
    freshchat_channel_id: 'fc-channel',
    freshchat_webhook_public_key: 'fc-key',
  };

  function fcStatus(text, error) {
    const el = $('fc-status');
    el.textContent = text;
    el.style.color = error ? 'var(--danger)' : '';
  }

  function clearFcErrors() {
    for (const id of Object.values(FC_FIELDS)) fieldError(id, '');
  }

  function paintFreshchat(fill) {
    const i = S.integrations || {};
    if (fill) {
      $('fc-url').value = i.freshchat_api_url || '';
      $('fc-channel').value = i.freshchat_channel_id || '';
      $('fc-key').value = i.freshchat_webhook_public_key || '';
      $('fc-token').value = '';
      fcTokenMode = 'keep';
    }
    $('fc-webhook-url').value = i.freshchat_webhook_url || '';
    paintFcToken();
  }

  function paintFcToken() {
    const set = !!(S.integrations && S.integrations.freshchat_token_set);
    const mode = set ? fcTokenMode : 'replace';
    $('fc-token-set').hidden = !set;
    $('fc-token-state').textContent =
      mode === 'remove'
        ? 'The token will be removed when you save.'
        : mode === 'replace'
          ? 'A token is set. Type a new one to replace it.'
          : 'A token is set. It is never shown.';
    $('fc-token-replace').hidden = mode === 'replace';
    $('fc-token-remove').hidden = mode === 'remove';
    $('fc-token').hidden = mode !== 'replace';
  }

  function fcFailed(err, status) {
    const id = FC_FIELDS[err.field];
    if ((err.status === 400 || err.status === 502) && id) {
      fieldError(id, describe(err) + (/[.!?]$/.test(err.message || '') ? '' : '.'));
      if (!$(id).hidden) $(id).focus();
      status(err.status === 502 ? 'FreshChat could not be used.' : '', err.status === 502);
    } else {
      status(describe(err), true);
    }
  }

  async function saveFreshchat(ev) {
    ev.preventDefault();
    clearFcErrors();
    fcStatus('Saving…', false);
    const i = S.integrations || {};
    // The ticket fields are always replaced by this call: send them back as they are stored.
    const body = {
      notification_email: i.notification_email || null,
      webhook_url: i.webhook_url || null,
      freshchat_api_url: $('fc-url').value.trim() || null,
      freshchat_channel_id: $('fc-channel').value.trim() || null,
      freshchat_webhook_public_key: $('fc-key').value.trim() || null,
    };
    const token = $('fc-token').value.trim();
    if (fcTokenMode === 'remove') body.freshchat_api_token = null;
    else if (token) body.freshchat_api_token = token;
    $('fc-save').disabled = true;
    try {
      const res = await api('PUT', '/integrations', body);
      if (res) delete res.webhook_secret;
      S.integrations = res;
      paintFreshchat(true);
      fcStatus('Saved.', false);
    } catch (err) {
      fcFailed(err, fcStatus);
    } finally {
      $('fc-save').disabled = false;
    }
  }

  async function testFreshchat() {
    clearFcErrors();
    fcStatus('Calling FreshChat…', false);
    $('fc-test').disabled = true;
    try {
      const res = await api('POST', '/integrations/freshchat/test');
      const names = (res.channels || []).map((c) => (c.name || c.id) + ' (' + c.id + ')');
      const noKey = !(S.integrations && S.integrations.freshchat_webhook_public_key);
      fcStatus(
        'Connected. Channels: ' + (names.join(', ') || 'none') + '.' +
          (noKey ? " No webhook public key is saved yet: FreshChat's replies are refused until you paste it." : ''),
        false,
      );
    } catch (err) {
      fcFailed(err, fcStatus);
    } finally {
      $('fc-test').disabled = false;
    }
  }

  async function copyWebhookUrl() {
    const input = $('fc-webhook-url');
    const status = $('fc-copy-status');
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied to the clipboard.';
    } catch (_) {
      input.focus();
      input.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (__) {
        copied = false;
      }
      status.textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy it.';
    }
  }

  async function rotateSecret() {
    $('secret-confirm').hidden = true;
    $('secret-rotate').disabled = true;
    try {
      const res = await api('POST', '/integrations/webhook-secret');
      if (S.integrations) S.integrations.webhook_secret_set = true;
      paintIntegrations(false);
      revealSecret(res.secret);
    } catch (err) {
      toast('Could not rotate the secret', describe(err), { kind: 'error' });
    } finally {
      $('secret-rotate').disabled = false;
    }
  }

  /** Shows a new secret, once, with its copy button. */
  function revealSecret(secret) {
    $('secret-value').value = secret;
    $('secret-copy-status').textContent = '';
    $('secret-reveal').hidden = false;
    $('secret-value').focus();
    $('secret-value').select();
  }

  /** Whether the workspace has an identity secret (for signed known visitors). */
  function paintIdentity() {
    const set = Boolean(S.integrations && S.integrations.identity_secret_set);
    $('identity-state').textContent = set
      ? 'An identity secret is set. It is never shown again: create a new one to replace it.'
      : 'No identity secret yet: every visitor is anonymous.';
  }

  async function rotateIdentitySecret() {
    $('identity-confirm').hidden = true;
    $('identity-rotate').disabled = true;
    try {
      const res = await api('POST', '/integrations/identity-secret');
      if (S.integrations) S.integrations.identity_secret_set = true;
      paintIdentity();
      $('identity-value').value = res.secret;
      $('identity-copy-status').textContent = '';
      $('identity-reveal').hidden = false;
      $('identity-value').focus();
      $('identity-value').select();
    } catch (err) {
      toast('Could not create the identity secret', describe(err), { kind: 'error' });
    } finally {
      $('identity-rotate').disabled = false;
    }
  }

  function hideSecret() {
    $('identity-value').value = '';
    $('identity-reveal').hidden = true;
    $('identity-confirm').hidden = true;
    $('secret-value').value = '';
    $('secret-reveal').hidden = true;
    $('secret-confirm').hidden = true;
  }

  function copySecret() {
    return copyFrom($('secret-value'), $('secret-copy-status'));
  }

  /** Copies a read-only field's value, falling back to selecting it for Ctrl+C. */
  async function copyFrom(input, status) {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied to the clipboard.';
    } catch (_) {
      input.focus();
      input.select();
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch (__) {
        copied = false;
      }
      status.textContent = copied ? 'Copied to the clipboard.' : 'Selected: press Ctrl+C (⌘C) to copy it.';
    }
  }

  async function loadOutbox() {
    if (!isAdmin()) return;
    const status = S.outboxStatus;
    try {
      const res = await api('GET', '/outbox?status=' + encodeURIComponent(status));
      if (status === S.outboxStatus) paintOutbox(res.deliveries || []);
    } catch (err) {
      if (err.status !== 401) toast('Could not load deliveries', describe(err), { kind: 'error' });
    }
  }

  function paintOutbox(items) {
    const status = S.outboxStatus;
    $('outbox-rows').replaceChildren(
      ...items.map((d) => {
        const created = parseTime(d.created_at);
        let action = null;
        if (status === 'dead') {
          const button = h('button', { type: 'button', text: 'Retry', onclick: () => retryDelivery(d.id, button) });
          action = button;
        } else if (status === 'delivered') {
          action = h('span', { class: 'muted', text: 'delivered ' + ago(parseTime(d.delivered_at)) });
        } else {
          const next = parseTime(d.next_attempt_at);
          action = h('span', { class: 'muted', text: next ? 'next try ' + clock(next) : '' });
        }
        return h(
          'tr',
          { 'data-delivery': d.id },
          h('td', { text: d.event }),
          h('td', { text: d.channel }),
          h('td', { text: d.destination }),
          h('td', { text: String(d.attempts) }),
          h('td', { class: 'error-cell', text: d.last_error || '—' }),
          h('td', { title: created ? new Date(created).toLocaleString() : null, text: ago(created) }),
          h('td', {}, action),
        );
      }),
    );
    $('outbox-table').hidden = items.length === 0;
    const empty = {
      dead: 'No failed deliveries: everything was delivered or is still being retried.',
      pending: 'Nothing is waiting to be delivered.',
      delivered: 'Nothing delivered yet.',
    };
    $('outbox-empty').textContent = items.length ? '' : empty[status];
  }

  async function retryDelivery(id, button) {
    button.disabled = true;
    try {
      await api('POST', '/outbox/' + encodeURIComponent(id) + '/retry');
      const row = button.closest('tr');
      if (row) row.remove();
      if (!$('outbox-rows').children.length) paintOutbox([]);
      toast('Delivery queued again', 'It will be attempted again now, then with backoff.', { timeout: 5000 });
    } catch (err) {
      toast('Could not retry', describe(err), { kind: 'error' });
      button.disabled = false;
    }
  }

  function wireIntegrations() {
    $('integrations-form').addEventListener('submit', saveIntegrations);
    $('identity-rotate').addEventListener('click', () => {
      if (S.integrations && S.integrations.identity_secret_set) {
        $('identity-confirm').hidden = false;
        $('identity-rotate-cancel').focus();
      } else {
        rotateIdentitySecret();
      }
    });
    $('identity-rotate-confirm').addEventListener('click', rotateIdentitySecret);
    $('identity-rotate-cancel').addEventListener('click', () => {
      $('identity-confirm').hidden = true;
      $('identity-rotate').focus();
    });
    $('identity-copy').addEventListener('click', () => copyFrom($('identity-value'), $('identity-copy-status')));
    $('identity-done').addEventListener('click', () => {
      $('identity-value').value = '';
      $('identity-reveal').hidden = true;
      $('identity-rotate').focus();
    });
    $('fc-form').addEventListener('submit', saveFreshchat);
    $('fc-test').addEventListener('click', testFreshchat);
    $('fc-copy').addEventListener('click', copyWebhookUrl);
    $('fc-token-replace').addEventListener('click', () => {
      fcTokenMode = 'replace';
      paintFcToken();
      $('fc-token').focus();
    });
    $('fc-token-remove').addEventListener('click', () => {
      fcTokenMode = 'remove';
      paintFcToken();
    });
    $('ai-form').addEventListener('submit', saveAi);
    $('ai-builtin').addEventListener('click', useBuiltinEngine);
    $('ai-base-url').addEventListener('input', () => fieldError('ai-base-url', ''));
    $('ai-model').addEventListener('input', () => fieldError('ai-model', ''));
    $('ai-key').addEventListener('input', () => fieldError('ai-key', ''));
    $('ai-key-replace').addEventListener('click', () => {
      aiKeyMode = 'replace';
      paintAiKey();
      $('ai-key').focus();
    });
    $('ai-key-remove').addEventListener('click', () => {
      aiKeyMode = 'remove';
      $('ai-key').value = '';
      paintAiKey();
    });
    $('int-email').addEventListener('input', () => fieldError('int-email', ''));
    $('int-webhook').addEventListener('input', () => fieldError('int-webhook', ''));
    $('secret-rotate').addEventListener('click', () => {
      $('secret-confirm').hidden = false;
      $('secret-rotate-cancel').focus();
    });
    $('secret-rotate-cancel').addEventListener('click', () => {
      $('secret-confirm').hidden = true;
      $('secret-rotate').focus();
    });
    $('secret-rotate-confirm').addEventListener('click', rotateSecret);
    $('secret-copy').addEventListener('click', copySecret);
    $('secret-done').addEventListener('click', () => {
      hideSecret();
      $('secret-rotate').focus();
    });
    for (const b of document.querySelectorAll('.outbox-filters button')) {
      b.addEventListener('click', () => {
        S.outboxStatus = b.dataset.outbox;
        for (const other of document.querySelectorAll('.outbox-filters button')) other.setAttribute('aria-selected', String(other === b));
        loadOutbox();
      });
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------

  function tick() {
    for (const el of document.querySelectorAll('.handoff-wait')) el.textContent = elapsed(Number(el.dataset.since) || null);
  }

  function wire() {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('status-online').addEventListener('click', () => setStatus('online'));
    $('status-away').addEventListener('click', () => setStatus('away'));
    $('notify-enable').addEventListener('click', async () => {
      try {
        await Notification.requestPermission();
      } catch (_) {
        /* older Safari: callback form; ignore */
      }
      updateNotifyButton();
    });
    for (const b of document.querySelectorAll('.conversations .filters button')) b.addEventListener('click', () => setFilter(b.dataset.filter));
    for (const list of document.querySelectorAll('[role="tablist"]')) rovingTabs(list);
    wireTickets();
    wireTeam();
    wireSavedReplies();
    wireIntegrations();
    wireAnalytics();
    $('composer').addEventListener('submit', submit);
    const input = $('composer-input');
    input.addEventListener('keydown', (ev) => {
      if (pickerKey(ev)) return;
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        submit();
      }
    });
    input.addEventListener('input', () => {
      updateCounter();
      sendTyping();
      updatePicker();
    });
    $('action-accept').addEventListener('click', (ev) => accept(ev.currentTarget.dataset.handoff, ev.currentTarget));
    $('action-join').addEventListener('click', (ev) => conversationAction('join', ev.currentTarget));
    $('action-handback').addEventListener('click', (ev) => conversationAction('hand-back', ev.currentTarget));
    $('action-resolve').addEventListener('click', (ev) => conversationAction('resolve', ev.currentTarget));
    document.addEventListener('pointerdown', unlockAudio);
    document.addEventListener('keydown', unlockAudio);
    window.addEventListener('online', reconnectNow);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reconnectNow();
    });
    setInterval(tick, 1000);
    setInterval(() => {
      if (!S.agent) return;
      // `conversation` events come on creation and owner changes only; new messages in
      // conversations nobody follows would leave their previews stale, so refresh the list too.
      if (S.wsReady && document.visibilityState === 'visible') loadConversations();
      else renderConversations();
      if (S.view === 'tickets') renderTickets();
      if (S.view === 'integrations' && document.visibilityState === 'visible') loadOutbox();
    }, 30000);
  }

  async function boot() {
    wire();
    try {
      const res = await api('GET', '/me');
      enterApp(res.agent, res.csrf_token);
    } catch (err) {
      showLogin(err.status === 401 || !err.status ? (err.network ? err.message : '') : describe(err));
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
  else boot();
})();
