/*
 * The Widget: its launcher button and chat panel (built in a shadow root), opening and closing,
 * full screen on small screens, keeping focus inside. The other widget/*.js files add its methods
 * by concern.
 */

const SYSTEM_IMPORTANT = new Set(['handoff_offline', 'handoff_expired', 'agent_left', 'handed_back']);
/** System entries that end a request for contact details. */
const LEAD_OUTCOMES = new Set(['lead_captured', 'lead_declined']);
const LEAD_FIELDS = ['email', 'name', 'description'];
/** System entries after which a streamed reply still being previewed will not be stored. */
const DRAFT_ENDERS = new Set(['agent_joined', 'lead_requested']);
/** A streamed reply preview with no new text for this long is dropped (the engine gave up). */
const DRAFT_IDLE_MS = 60000;
/** The server's limits on the lead form's fields (crates/baton-domain/src/contact.rs). */
const MAX_NAME_CHARS = 100;
const MAX_DESCRIPTION_CHARS = 2000;

/** A server message ("that email address has no @") as a sentence. */
function sentence(text) {
  const t = String(text || '').trim();
  if (!t) return '';
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?…]$/.test(t) ? '' : '.');
}

class Widget {
  constructor(host) {
    const saved = storage.load();
    /** The conversation and its token, once one exists. */
    this.conversationId = saved.conversationId || null;
    this.token = saved.token || null;
    /** The last sequence number stored in localStorage, and the last one the visitor has seen. */
    this.savedSeq = saved.lastSeq || 0;
    this.seenSeq = saved.seenSeq || 0;
    /** Messages not yet confirmed by the server: client_id → {text, el, state}. */
    this.outbox = new Map();
    /** Files being uploaded (or failed), by client id: their pending bubbles. */
    this.uploads = new Map();
    for (const item of saved.outbox || []) {
      if (item && item.client_id && typeof item.text === 'string') this.outbox.set(item.client_id, { ...item, state: 'queued' });
    }
    /** The last sequence number received on this page (the WebSocket resumes from it). */
    this.streamSeq = 0;
    /** seq → list element, for messages shown. */
    this.shown = new Map();
    this.maxShown = 0;
    /** Requests for contact details shown (lead_requested seq → inline form), and their outcomes. */
    this.leadCards = new Map();
    this.leadOutcomes = new Map();
    this.state = null;
    this.agentName = null;
    this.bot = null;
    this.maxBytes = 4096;
    this.open = false;
    this.unread = 0;
    this.ws = null;
    this.wsReady = false;
    this.reconnectAttempt = 0;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.pongTimer = null;
    this.typingTimer = null;
    /** The bot's reply while it is streamed: {el, bubble, text, timer}, until the stored one arrives. */
    this.draft = null;
    this.lastTypingSent = 0;
    this.starting = null;
    this.failedConnects = 0;
    /** The latest answer of GET …/availability, and the difference between the server's clock and ours. */
    this.availability = null;
    this.clockSkew = 0;
    this.availabilityTimer = null;
    this.availabilityInterval = null;
    this.loadingAvailability = false;

    this.root = host.attachShadow({ mode: 'open' });
    this.installStyles();
    this.build();
    this.renderOutbox();
    this.updateControls();
    // The bot's answer brings the texts in the visitor's language (the launcher's label too), so
    // it is asked for at once; a conversation resumes once they are here (or could not come).
    this.loadBot().then(() => {
      if (this.conversationId) this.connect();
      // Messages written before a reload whose conversation never started: send them now.
      else if (this.outbox.size > 0) this.flushOutbox();
    });
    window.addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.reconnectNow();
    });
  }

  installStyles() {
    if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS_TEXT);
        this.root.adoptedStyleSheets = [sheet];
        return;
      } catch (_) {
        /* fall back to a <style> element */
      }
    }
    this.root.append(h('style', { text: CSS_TEXT }));
  }

  build() {
    /** Matches the styles' phone layout, where the open chat covers the window. */
    this.fullScreenQuery = window.matchMedia('(max-width: 480px)');
    const accent = safeColor(script.getAttribute('data-accent'));
    const left = script.getAttribute('data-position') === 'left';
    this.el = {};
    const e = this.el;
    e.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
    e.launcher = h(
      'button',
      { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'baton-panel', onclick: () => this.toggle() },
      icon(ICON_CHAT),
      e.badge,
    );
    e.title = h('h2', { id: 'baton-title' });
    e.subtitle = h('p');
    e.statusText = h('span', { class: 'status-text' });
    e.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', hidden: true }, h('span', { class: 'dot', 'aria-hidden': 'true' }), e.statusText);
    e.close = h('button', { class: 'close', type: 'button', onclick: () => this.toggle(false) }, icon(ICON_CLOSE));
    e.conn = h('div', { class: 'conn', role: 'status', hidden: true });
    e.bannerText = h('div', { class: 'text' });
    e.back = h('button', { class: 'link-button', type: 'button', onclick: () => this.cancelHandoff() });
    e.banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true }, e.bannerText, e.back);
    // The live region wraps the list: role=log on the <ol> itself would orphan its items.
    e.log = h('ol', { class: 'log', tabindex: '0' });
    e.logRegion = h('div', { class: 'log-region', role: 'log', 'aria-live': 'polite' }, e.log);
    e.greeting = h('li', { class: 'msg bot greeting', hidden: true }, h('div', { class: 'who' }), h('div', { class: 'bubble' }));
    e.log.append(e.greeting);
    e.typing = h('div', { class: 'typing', 'aria-live': 'polite', hidden: true });
    e.humanLabel = h('span');
    e.human = h(
      'button',
      { class: 'link-button human-button', type: 'button', onclick: () => this.requestHandoff() },
      icon(ICON_PERSON),
      e.humanLabel,
    );
    e.ticket = h('button', {
      class: 'text-button ticket-button',
      type: 'button',
      onclick: () => this.requestTicket(),
    });
    e.restart = h('button', { class: 'link-button', type: 'button', hidden: true, onclick: () => this.restart() });
    // After a resolve: the conversation by email (the visitor's known address, or one they type).
    e.transcript = h('button', { class: 'link-button', type: 'button', hidden: true, onclick: () => this.askTranscript() });
    e.transcriptEmail = h('input', { type: 'email', id: 'baton-transcript-email', autocomplete: 'email', inputmode: 'email', spellcheck: 'false', required: true });
    e.transcriptLabel = h('label', { for: 'baton-transcript-email', class: 'sr-only' });
    e.transcriptSend = h('button', { class: 'send-transcript', type: 'submit' });
    e.transcriptForm = h('form', { class: 'transcript-form', novalidate: true, hidden: true }, e.transcriptLabel, e.transcriptEmail, e.transcriptSend);
    e.transcriptForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.sendTranscript(e.transcriptEmail.value);
    });
    e.transcriptStatus = h('span', { class: 'transcript-status', role: 'status' });
    e.actions = h('div', { class: 'actions' }, e.human, e.ticket, e.restart, e.transcript, e.transcriptForm, e.transcriptStatus);
    e.input = h('textarea', {
      id: 'baton-input',
      rows: '1',
      'aria-describedby': 'baton-counter baton-error',
      maxlength: null,
    });
    e.send = h('button', { class: 'send', type: 'submit' }, icon(ICON_SEND));
    e.file = h('input', { type: 'file', hidden: true, tabindex: '-1', 'aria-hidden': 'true', onchange: () => this.sendFile() });
    e.attach = h('button', { class: 'attach', type: 'button', onclick: () => e.file.click() }, icon(ICON_CLIP));
    e.form = h('form', { class: 'composer', novalidate: true }, e.attach, e.file, e.input, e.send);
    e.counter = h('span', { class: 'counter', id: 'baton-counter', 'aria-live': 'polite' });
    e.error = h('span', { class: 'error', id: 'baton-error', role: 'alert' });
    e.foot = h('div', { class: 'foot' }, e.error, e.counter);
    e.panel = h(
      'section',
      { class: 'panel', id: 'baton-panel', role: 'dialog', 'aria-labelledby': 'baton-title', hidden: true },
      // A <div>, not a <header>: the host page has its own banner landmark.
      h('div', { class: 'head' }, h('div', { class: 'avatar' }, icon(ICON_CHAT)), h('div', { class: 'titles' }, e.title, e.subtitle, e.status), e.close),
      e.conn,
      e.banner,
      e.logRegion,
      e.typing,
      e.actions,
      e.form,
      e.foot,
      (e.brand = h('div', { class: 'brand' })),
    );
    e.rootEl = h('div', { class: 'root' + (left ? ' left' : '') }, e.panel, e.launcher);
    if (accent) e.rootEl.style.setProperty('--accent', accent);
    this.applyStrings();
    this.root.append(e.rootEl);

    e.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    e.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.submit();
      }
    });
    e.input.addEventListener('input', () => {
      this.autosize();
      this.updateCounter();
      this.sendTyping();
    });
    e.panel.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        this.toggle(false);
      } else if (ev.key === 'Tab' && this.fullScreen()) {
        this.trapTab(ev);
      }
    });
    // Full screen (a phone), the open chat is all there is: Escape closes it wherever focus is.
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.open && this.fullScreen() && !ev.defaultPrevented) this.toggle(false);
    });
    this.fullScreenQuery.addEventListener('change', () => this.lockPage(this.open && this.fullScreen()));
  }

  /**
   * Writes the texts of the elements built once, in the current language, and everything that
   * depends on state (called again when the server's texts arrive).
   */
  applyStrings() {
    const e = this.el;
    e.rootEl.setAttribute('lang', lang);
    this.updateLauncherLabel();
    if (!this.bot || !this.bot.name) e.title.textContent = t('title');
    e.close.setAttribute('aria-label', t('close_chat'));
    e.back.textContent = t('back_to_assistant');
    e.log.setAttribute('aria-label', t('conversation'));
    e.logRegion.setAttribute('aria-label', t('conversation'));
    e.humanLabel.textContent = t('talk_to_person');
    e.ticket.textContent = t('leave_message');
    e.ticket.setAttribute('aria-label', t('leave_message_label'));
    e.ticket.title = t('leave_message_hint');
    e.restart.textContent = t('start_new');
    e.transcript.textContent = t('transcript_button');
    e.transcriptLabel.textContent = t('transcript_email_label');
    e.transcriptEmail.placeholder = t('transcript_email_label');
    e.transcriptSend.textContent = t('transcript_send');
    e.input.setAttribute('aria-label', t('message_label'));
    e.send.setAttribute('aria-label', t('send_message'));
    e.attach.setAttribute('aria-label', t('attach_file'));
    e.attach.title = t('attach_file');
    e.brand.textContent = t('powered_by');
    this.setState(this.state, this.agentName);
    for (const item of this.outbox.values()) this.paintPending(item);
  }

  /** "Open chat", "Close chat" or "Open chat (2 new)". */
  updateLauncherLabel() {
    let label;
    if (this.open) label = t('close_chat');
    else if (this.unread > 0) label = t('launcher_open_unread', { count: this.unread });
    else label = t('launcher_open');
    this.el.launcher.setAttribute('aria-label', label);
  }

  /** True while the open chat covers the whole window (the phone layout of the styles). */
  fullScreen() {
    return this.fullScreenQuery.matches;
  }

  /** Keeps Tab and Shift+Tab inside the open chat: from the last control to the first and back. */
  trapTab(ev) {
    const focusable = Array.from(
      this.el.panel.querySelectorAll('button, textarea, input, select, a[href], [tabindex="0"]'),
    ).filter((el) => !el.disabled && el.getClientRects().length > 0);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = this.root.activeElement;
    if (ev.shiftKey && (active === first || !this.el.panel.contains(active))) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && (active === last || !this.el.panel.contains(active))) {
      ev.preventDefault();
      first.focus();
    }
  }

  /** Stops (or lets again) the page behind the full-screen chat scroll. */
  lockPage(lock) {
    const html = document.documentElement;
    if (lock && !this.pageLocked) {
      this.pageLocked = { overflow: html.style.overflow };
      html.style.overflow = 'hidden';
    } else if (!lock && this.pageLocked) {
      html.style.overflow = this.pageLocked.overflow;
      this.pageLocked = null;
    }
  }

  toggle(force) {
    const open = typeof force === 'boolean' ? force : !this.open;
    if (open === this.open) return;
    this.open = open;
    this.el.panel.hidden = !open;
    this.el.rootEl.classList.toggle('open', open);
    this.el.launcher.setAttribute('aria-expanded', String(open));
    this.updateLauncherLabel();
    this.el.panel.setAttribute('aria-modal', String(open && this.fullScreen()));
    this.lockPage(open && this.fullScreen());
    if (open) {
      this.loadBot();
      this.refreshAvailability();
      clearInterval(this.availabilityInterval);
      this.availabilityInterval = setInterval(() => this.refreshAvailability(), 60000);
      this.markSeen();
      this.scrollToEnd();
      this.el.input.focus();
    } else {
      clearInterval(this.availabilityInterval);
      clearTimeout(this.availabilityTimer);
      this.availabilityInterval = null;
      this.availabilityTimer = null;
      this.el.launcher.focus();
    }
  }
}
