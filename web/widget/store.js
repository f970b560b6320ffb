/*
 * The conversation's state: the bot, the conversation and its token (kept across reloads), its
 * state, catching up after a gap, and the emailed transcript.
 */

Object.assign(Widget.prototype, {
  async loadBot() {
    if (this.bot || this.loadingBot) return;
    this.loadingBot = true;
    try {
      const bot = await this.api('GET', '/bots/' + encodeURIComponent(BOT_ID) + '?lang=' + encodeURIComponent(LANG_TAG));
      this.bot = bot;
      useStrings(bot.strings, bot.lang);
      this.applyStrings();
      this.maxBytes = bot.max_message_bytes || this.maxBytes;
      this.el.title.textContent = bot.name || t('title');
      if (bot.greeting) {
        this.el.greeting.querySelector('.who').textContent = bot.name || t('assistant_name');
        this.el.greeting.querySelector('.who').append(h('span', { class: 'tag', text: t('tag_ai') }));
        this.el.greeting.querySelector('.bubble').textContent = bot.greeting;
        this.el.greeting.hidden = false;
      }
      this.updateControls();
      this.updateCounter();
      this.renderAvailability();
    } catch (err) {
      if (err.status === 404) this.showError(t('error_unknown_bot'));
      else if (err.status === 410) this.showError(t('error_bot_gone'));
      else this.showError(this.describe(err));
    } finally {
      this.loadingBot = false;
    }
  },

  /** "Email me this conversation": at once to a known visitor's address, else ask for one. */
  askTranscript() {
    const e = this.el;
    if (identity && identity.email) {
      this.sendTranscript('');
      return;
    }
    e.transcriptForm.hidden = false;
    this.updateControls();
    e.transcriptEmail.focus();
  },

  async sendTranscript(email) {
    const e = this.el;
    e.transcriptSend.disabled = true;
    try {
      const body = email.trim() ? { email: email.trim() } : {};
      const res = await this.api('POST', '/conversations/' + encodeURIComponent(this.conversationId) + '/transcript', body);
      this.transcriptSent = true;
      e.transcriptForm.hidden = true;
      e.transcriptStatus.textContent = t('transcript_sent', { email: res.sent_to });
    } catch (err) {
      e.transcriptStatus.textContent = err.status === 400 ? t('transcript_failed') : this.describe(err);
      if (err.status === 400) {
        e.transcriptForm.hidden = false;
        e.transcriptEmail.focus();
      }
    } finally {
      e.transcriptSend.disabled = false;
      this.updateControls();
    }
  },

  persist() {
    if (!this.conversationId && this.outbox.size === 0) {
      storage.clear();
      return;
    }
    storage.save({
      conversationId: this.conversationId,
      token: this.token,
      lastSeq: Math.max(this.savedSeq, this.streamSeq),
      seenSeq: this.seenSeq,
      outbox: Array.from(this.outbox.values(), (m) => ({ client_id: m.client_id, text: m.text })),
    });
  },

  /** Starts the conversation on first need (a first message or "Talk to a person"). */
  ensureConversation() {
    if (this.conversationId) return Promise.resolve();
    if (!this.starting) {
      const body = { bot_id: BOT_ID, lang: LANG_TAG };
      if (identity) body.identity = identity;
      this.starting = this.api('POST', '/conversations', body)
        .then((res) => {
          this.conversationId = res.conversation.id;
          this.token = res.token;
          this.streamSeq = 0;
          this.setState(res.conversation.state, res.conversation.agent_name);
          this.persist();
          this.connect();
        })
        .finally(() => {
          this.starting = null;
        });
    }
    return this.starting;
  },

  /** Forgets the conversation (it no longer exists, or the visitor starts over). */
  forget(notice) {
    this.disconnect();
    this.conversationId = null;
    this.token = null;
    this.savedSeq = 0;
    this.seenSeq = 0;
    this.streamSeq = 0;
    this.discardDraft();
    for (const el of this.shown.values()) el.remove();
    this.shown.clear();
    this.maxShown = 0;
    this.leadCards.clear();
    this.leadOutcomes.clear();
    this.setState(null, null);
    this.persist();
    if (notice) this.showError(notice);
  },

  restart() {
    this.forget();
    this.showError('');
    this.el.input.focus();
  },

  setState(state, agentName) {
    this.state = state;
    this.agentName = agentName || null;
    if (state !== 'waiting') this.queue = null;
    if (state !== 'ai' && state !== 'waiting') this.discardDraft();
    const sub = this.el.subtitle;
    if (state === 'human') sub.textContent = this.agentName ? t('subtitle_human', { name: this.agentName }) : t('subtitle_human_unnamed');
    // Routed to the site's FreshChat: its team answers here (the AI is silent).
    else if (state === 'freshchat') sub.textContent = t('subtitle_freshchat');
    else if (state === 'waiting') sub.textContent = t('subtitle_waiting');
    else if (state === 'closed') sub.textContent = t('subtitle_closed');
    else if (state === 'lead_capture') sub.textContent = t('subtitle_lead_capture');
    else sub.textContent = t('subtitle_ai');
    this.updateControls();
    this.renderAvailability();
    this.syncLeads();
  },

  updateControls() {
    const e = this.el;
    const handoffEnabled = !this.bot || this.bot.handoff_enabled !== false;
    const withAi = this.state === 'ai' || this.state === null;
    e.human.hidden = !handoffEnabled || !withAi || !!this.awayWithMessages;
    // The server refuses the request (409) when the bot does not take messages for the team.
    e.ticket.hidden = !withAi || !this.bot || this.bot.lead_capture_enabled === false;
    e.restart.hidden = this.state !== 'closed';
    const transcripts = this.state === 'closed' && !!this.bot && this.bot.email_transcripts === true;
    e.transcript.hidden = !transcripts || !e.transcriptForm.hidden || !!this.transcriptSent;
    if (!transcripts) {
      // Written again (or a new conversation): a later resolve may be emailed again.
      e.transcriptForm.hidden = true;
      e.transcriptStatus.textContent = '';
      this.transcriptSent = false;
    }
    e.actions.hidden = e.human.hidden && e.ticket.hidden && e.restart.hidden && e.transcript.hidden && e.transcriptForm.hidden && !e.transcriptStatus.textContent;
    e.banner.hidden = this.state !== 'waiting';
    if (this.state === 'waiting') {
      e.bannerText.replaceChildren();
      const q = this.queue;
      if (q && q.position) {
        e.bannerText.append(
          h('strong', { text: q.position === 1 ? t('queue_next') : t('queue_position', { position: q.position }) }),
        );
        if (q.expected_wait_seconds !== null && q.expected_wait_seconds !== undefined) {
          e.bannerText.append(t('queue_wait', { wait: waitInWords(q.expected_wait_seconds) }));
        } else {
          e.bannerText.append(t('queue_soon'));
        }
      } else {
        e.bannerText.append(h('strong', { text: t('queue_finding') }), t('queue_stay'));
      }
    }
    if (this.state === 'closed') e.input.placeholder = t('composer_placeholder_closed');
    else if (this.state === 'lead_capture') e.input.placeholder = t('composer_placeholder_lead');
    else e.input.placeholder = t('composer_placeholder');
  },

  /** Reads the owner again after a refusal (e.g. a person took the conversation meanwhile). */
  async refreshState() {
    if (!this.conversationId) return;
    try {
      const view = await this.api('GET', '/conversations/' + this.conversationId);
      if (view && view.state) this.setState(view.state, view.agent_name);
    } catch (_) {
      /* the socket will tell */
    }
  },

  /** Fetches entries missed while the socket is down (the socket replays them too; seq dedupes). */
  async catchUp() {
    if (!this.conversationId) return;
    try {
      const res = await this.api('GET', '/conversations/' + this.conversationId + '/messages?after=' + this.maxShown + '&limit=500');
      for (const m of res.messages || []) this.renderMessage(m);
    } catch (_) {
      /* shown by the connection banner; the socket resumes later */
    }
  },
});
