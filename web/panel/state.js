/*
 * The panel's state, one object shared by every view (the views change its fields, never the
 * object itself).
 */

export const S = {
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
  /** The server's limits (GET /limits), once read: see limits.js. */
  limits: null,
};
