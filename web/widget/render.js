/*
 * Rendering: messages and system entries, messages waiting to be sent, the bot's reply while it
 * is streamed, the typing indicator, errors.
 */

Object.assign(Widget.prototype, {
  /** Shows (or with '' clears) the error under the composer; `tooLong` marks the one the counter clears once the message fits again. */
  showError(text, tooLong) {
    this.el.error.textContent = text || '';
    if (text && tooLong) this.el.error.dataset.tooLong = '1';
    else delete this.el.error.dataset.tooLong;
  },

  renderMessage(m) {
    if (this.shown.has(m.seq)) return;
    if (m.client_id && this.uploads.has(m.client_id)) {
      // The socket showed the file before the upload's answer came: drop the pending bubble.
      this.uploads.get(m.client_id).el.remove();
      this.uploads.delete(m.client_id);
    }
    if (m.client_id && this.outbox.has(m.client_id)) {
      const pending = this.outbox.get(m.client_id);
      if (pending.el) pending.el.remove();
      this.outbox.delete(m.client_id);
      this.persist();
    }
    const el = m.author_kind === 'system' ? this.systemElement(m) : this.messageElement(m);
    el.dataset.seq = String(m.seq);
    // Keep sequence order; unconfirmed messages stay at the end.
    let before = null;
    if (m.seq < this.maxShown) {
      for (const [seq, other] of this.shown) {
        if (seq > m.seq && (!before || seq < Number(before.dataset.seq))) before = other;
      }
    }
    if (!before) before = this.el.log.querySelector('.msg.pending, .msg.failed');
    this.el.log.insertBefore(el, before);
    this.shown.set(m.seq, el);
    this.maxShown = Math.max(this.maxShown, m.seq);
    if (m.author_kind === 'bot' || m.author_kind === 'agent') this.hideTyping(m.author_kind);
    // The stored reply replaces its streamed preview (its text may differ); after a handoff or a
    // request for contact details, no reply of the AI is coming.
    if (m.author_kind === 'bot' || (m.author_kind === 'system' && (String(m.kind).startsWith('handoff_') || DRAFT_ENDERS.has(m.kind)))) {
      this.discardDraft();
    }
    if (LEAD_OUTCOMES.has(m.kind)) this.leadOutcomes.set(m.seq, { seq: m.seq, kind: m.kind, data: m.data || {} });
    if (m.kind === 'lead_requested' || LEAD_OUTCOMES.has(m.kind)) this.syncLeads();
    this.scrollToEnd();
  },

  messageElement(m) {
    const kind = m.author_kind === 'visitor' ? 'visitor' : m.author_kind === 'agent' ? 'agent' : 'bot';
    const li = h('li', { class: 'msg ' + kind });
    if (kind === 'visitor') {
      li.append(h('span', { class: 'sr-only', text: t('you_said') }));
    } else {
      const name = m.author_name || (kind === 'agent' ? t('support_name') : (this.bot && this.bot.name) || t('assistant_name'));
      li.append(h('div', { class: 'who' }, name, h('span', { class: 'tag', text: kind === 'agent' ? t('tag_team') : t('tag_ai') })));
    }
    if (m.kind === 'attachment') li.append(h('div', { class: 'bubble' }, this.fileElement(m)));
    else li.append(h('div', { class: 'bubble' }, ...withLinks(m)));
    const time = parseTime(m.created_at);
    li.append(h('div', { class: 'sub', title: fullTime(time), text: clockTime(time) }));
    return li;
  },

  systemElement(m) {
    if (m.kind === 'lead_requested') return this.leadCard(m);
    let cls = 'sys';
    if (SYSTEM_IMPORTANT.has(m.kind)) cls += ' important';
    if (m.kind === 'agent_joined') cls += ' joined';
    if (m.kind === 'lead_retry') cls += ' retry';
    if (m.kind === 'lead_captured') cls += ' captured';
    if (m.kind === 'lead_declined') cls += ' declined';
    const li = h('li', { class: cls, text: m.text });
    if (m.kind === 'lead_captured') li.prepend(h('span', { 'aria-hidden': 'true', text: '✓ ' }));
    return li;
  },

  renderOutbox() {
    for (const item of this.outbox.values()) this.renderPending(item);
  },

  renderPending(item) {
    const sub = h('div', { class: 'sub' });
    const li = h('li', { class: 'msg visitor pending' }, h('span', { class: 'sr-only', text: t('you_said') }), h('div', { class: 'bubble', text: item.text }), sub);
    item.el = li;
    item.sub = sub;
    this.el.log.append(li);
    this.paintPending(item);
    this.scrollToEnd();
  },

  paintPending(item) {
    if (!item.el) return;
    const failed = item.state === 'failed';
    item.el.classList.toggle('failed', failed);
    item.el.classList.toggle('pending', !failed);
    item.sub.replaceChildren();
    if (failed) {
      item.sub.append(
        t('pending_failed') + ' ',
        h('button', { type: 'button', text: t('retry'), onclick: () => this.retry(item) }),
        h('button', { type: 'button', text: t('delete'), onclick: () => this.discard(item) }),
      );
      if (item.error) item.sub.prepend(item.error + ' ');
    } else if (item.state === 'waiting') {
      item.sub.append(item.error || t('pending_waiting'));
    } else if (item.state === 'queued' && Date.now() < (this.rateLimitedUntil || 0)) {
      item.sub.append(t('pending_waiting'));
    } else {
      item.sub.append(t('pending_sending'));
    }
  },

  discard(item) {
    if (item.el) item.el.remove();
    this.outbox.delete(item.client_id);
    this.persist();
    this.el.input.focus();
  },

  scrollToEnd() {
    const log = this.el.log;
    requestAnimationFrame(() => {
      log.scrollTop = log.scrollHeight;
    });
  },

  /** Appends a piece of the bot's reply ("delta" frame) to its live preview bubble. */
  appendDelta(text) {
    if (typeof text !== 'string' || !text) return;
    if (this.state !== null && this.state !== 'ai' && this.state !== 'waiting') return;
    let d = this.draft;
    if (!d) {
      const name = (this.bot && this.bot.name) || t('assistant_name');
      const bubble = h('div', { class: 'bubble' });
      // Hidden from screen readers: the log announces the stored reply once, not every piece.
      const el = h(
        'li',
        { class: 'msg bot draft', 'aria-hidden': 'true' },
        h('div', { class: 'who' }, name, h('span', { class: 'tag', text: t('tag_ai') })),
        bubble,
        h('div', { class: 'sub' }, t('streaming'), h('span', { class: 'dots' }, h('span'), h('span'), h('span'))),
      );
      d = { el, bubble, text: '', timer: null };
      this.draft = d;
      this.el.log.insertBefore(el, this.el.log.querySelector('.msg.pending, .msg.failed'));
      this.hideTyping('bot');
    }
    d.text += text;
    d.bubble.textContent = d.text;
    clearTimeout(d.timer);
    d.timer = setTimeout(() => this.discardDraft(), DRAFT_IDLE_MS);
    this.scrollToEnd();
  },

  discardDraft() {
    const d = this.draft;
    if (!d) return;
    this.draft = null;
    clearTimeout(d.timer);
    d.el.remove();
  },

  showTyping(frame) {
    if (frame.author_kind !== 'agent' && frame.author_kind !== 'bot') return;
    const name = frame.name || (frame.author_kind === 'agent' ? t('typing_team') : t('typing_assistant'));
    this.el.typing.replaceChildren(t('typing', { name }), h('span', { class: 'dots', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')));
    this.el.typing.dataset.author = frame.author_kind;
    this.el.typing.hidden = false;
    clearTimeout(this.typingTimer);
    // An agent's notice fades unless renewed; the bot's lasts until its turn ends (delta_end or
    // its reply), with a long fallback in case that frame is lost.
    this.typingTimer = setTimeout(() => this.hideTyping(), frame.author_kind === 'bot' ? 60000 : 6000);
  },

  hideTyping(author) {
    if (author && this.el.typing.dataset.author !== author) return;
    clearTimeout(this.typingTimer);
    this.el.typing.hidden = true;
  },
});
