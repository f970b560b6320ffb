/*
 * Writing and sending: the composer, sending in order with client ids and retries, typing,
 * asking for a person and cancelling that.
 */

Object.assign(Widget.prototype, {
  submit() {
    const text = this.el.input.value;
    if (!text.trim()) return;
    if (byteLength(text) > this.maxBytes) {
      this.showError(this.tooLong(text), true);
      return;
    }
    if (Date.now() >= (this.rateLimitedUntil || 0)) this.showError('');
    this.el.input.value = '';
    this.autosize();
    this.updateCounter();
    const item = { client_id: newClientId(), text, state: 'queued', attempts: 0 };
    this.outbox.set(item.client_id, item);
    this.persist();
    this.renderPending(item);
    this.pump();
  },

  /**
   * Sends the outbox in order, one message at a time, so retries never reorder messages. Safe
   * to call at any moment: the client_id makes every retry idempotent.
   */
  async pump() {
    if (this.pumping) return;
    clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    const rateLimited = (this.rateLimitedUntil || 0) - Date.now();
    if (rateLimited > 0) {
      this.pumpTimer = setTimeout(() => this.pump(), rateLimited);
      return;
    }
    this.pumping = true;
    try {
      for (;;) {
        const item = Array.from(this.outbox.values()).find((m) => m.state !== 'failed');
        if (!item) break;
        const wait = await this.deliver(item);
        if (wait !== null) {
          this.pumpTimer = setTimeout(() => this.pump(), wait);
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  },

  /** One attempt at one message: null when done (sent or failed for good), else ms to wait. */
  async deliver(item) {
    item.state = 'sending';
    item.error = null;
    this.paintPending(item);
    try {
      await this.ensureConversation();
      const res = await this.api('POST', '/conversations/' + this.conversationId + '/messages', {
        client_id: item.client_id,
        text: item.text,
      });
      this.renderMessage(res.message);
      if (this.outbox.has(item.client_id)) {
        // Already shown (e.g. by the socket): just drop the pending copy.
        if (item.el) item.el.remove();
        this.outbox.delete(item.client_id);
        this.persist();
      }
      if (this.rateLimitedUntil) {
        this.rateLimitedUntil = 0;
        this.showError('');
      }
      return null;
    } catch (err) {
      item.attempts = (item.attempts || 0) + 1;
      let wait = null;
      if (err.network || err.status >= 500) {
        // Retried automatically: with backoff, and at once when the socket is back.
        if (item.attempts >= 8) {
          item.state = 'failed';
          item.error = this.describe(err);
        } else {
          item.state = 'waiting';
          item.error = err.network ? t('pending_offline') : t('pending_server');
          wait = Math.min(30000, 1000 * 2 ** Math.min(item.attempts, 5));
        }
      } else if (err.status === 429) {
        const seconds = err.retryAfter || 5;
        item.state = 'waiting';
        item.error = t('pending_rate_limited', { seconds: secondsInWords(seconds) });
        wait = seconds * 1000;
        this.rateLimitedUntil = Date.now() + wait;
        this.showError(this.describe(err));
      } else if ((err.status === 403 || err.status === 404) && this.conversationId && item.attempts < 3) {
        // The conversation is gone (e.g. the server's data was reset): start a new one.
        this.forget();
        item.state = 'queued';
        wait = 0;
      } else {
        item.state = 'failed';
        item.error = this.describe(err);
        this.showError(item.error);
      }
      this.paintPending(item);
      return wait;
    }
  },

  retry(item) {
    item.state = 'queued';
    item.attempts = 0;
    this.paintPending(item);
    this.pump();
  },

  /** Sends what is waiting now (the connection is back). */
  flushOutbox() {
    if (Date.now() < (this.rateLimitedUntil || 0)) return;
    for (const item of this.outbox.values()) if (item.state === 'waiting') item.attempts = 0;
    this.pump();
  },

  sendTyping() {
    const now = Date.now();
    if (!this.wsReady || !this.el.input.value.trim() || now - this.lastTypingSent < 2500) return;
    this.lastTypingSent = now;
    this.wsSend({ type: 'typing' });
  },

  autosize() {
    const input = this.el.input;
    input.style.height = 'auto';
    input.style.height = Math.min(140, input.scrollHeight + 2) + 'px';
  },

  /**
   * The counter under the message box, in characters. The server's limit is in bytes (UTF-8): a
   * letter of the Latin alphabet takes one, an accented letter two, most emoji four. So the
   * characters left are estimated from what the message holds so far, and bytes are only
   * mentioned when the message is over the limit and holds such characters.
   */
  updateCounter() {
    const text = this.el.input.value;
    const bytes = byteLength(text);
    const over = bytes > this.maxBytes;
    const c = this.el.counter;
    if (bytes > this.maxBytes * 0.8) {
      const chars = Array.from(text).length;
      const perChar = chars ? bytes / chars : 1;
      const left = Math.floor((this.maxBytes - bytes) / perChar);
      const about = bytes !== chars;
      if (over) c.textContent = t(about ? 'counter_over_about' : 'counter_over', { count: Math.ceil(-left) });
      else c.textContent = left === 1 ? t('counter_left_one') : t(about ? 'counter_left_about' : 'counter_left', { count: left });
    } else {
      c.textContent = '';
    }
    c.classList.toggle('over', over);
    this.el.input.setAttribute('aria-invalid', String(over));
    this.el.send.disabled = over;
    if (over) this.showError(this.tooLong(text), true);
    else if (this.el.error.dataset.tooLong) this.showError('');
  },

  /** Why `text` cannot be sent; bytes are named only when they explain it (non-Latin text, emoji). */
  tooLong(text) {
    const plain = byteLength(text) === Array.from(text).length;
    return plain ? t('too_long') : t('too_long') + ' ' + t('too_long_bytes', { bytes: this.maxBytes });
  },

  async requestHandoff() {
    const button = this.el.human;
    button.disabled = true;
    this.showError('');
    try {
      await this.ensureConversation();
      const res = await this.api('POST', '/conversations/' + this.conversationId + '/handoff');
      for (const m of res.messages || []) this.renderMessage(m);
      if (res.state) this.setState(res.state, this.agentName);
    } catch (err) {
      this.showError(this.describe(err));
    } finally {
      button.disabled = false;
    }
  },

  async cancelHandoff() {
    const button = this.el.back;
    button.disabled = true;
    this.showError('');
    try {
      const res = await this.api('DELETE', '/conversations/' + this.conversationId + '/handoff');
      if (res.state) this.setState(res.state, null);
    } catch (err) {
      this.showError(this.describe(err));
    } finally {
      button.disabled = false;
    }
  },
});
