/*
 * Contact details for a ticket (the offline path): the lead form, its errors, and declining.
 */

Object.assign(Widget.prototype, {
  /**
   * The bot's request for contact details, with an inline form. The form is live only while the
   * conversation collects details (state lead_capture) and this is the latest request; it
   * collapses into a confirmation once answered (by the form or by an address typed in the chat).
   */
  leadCard(m) {
    const prefill = (m.data && m.data.form) || {};
    const card = {
      seq: m.seq,
      // One key per request: a double click, a retry or a resubmission after an error can only
      // ever create one ticket. The entry's id makes it the same after a reload.
      clientId: 'w-lead-' + String(m.id || newClientId()).replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 56),
      fields: {},
      errors: {},
      busy: false,
      mode: null,
      submitted: null,
      declined: false,
    };
    const field = (name, label, control, optional) => {
      const id = 'baton-lead-' + m.seq + '-' + name;
      control.id = id;
      const error = h('div', { class: 'field-error', id: id + '-error', 'aria-live': 'polite' });
      control.setAttribute('aria-describedby', error.id);
      control.addEventListener('input', () => this.setFieldError(card, name, ''));
      card.fields[name] = control;
      card.errors[name] = error;
      return [h('label', { for: id }, label, optional ? h('span', { class: 'opt', text: ' ' + t('lead_optional') }) : null), control, error];
    };
    const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', inputmode: 'email', spellcheck: 'false', required: true, placeholder: t('lead_email_placeholder') });
    const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: String(MAX_NAME_CHARS) });
    name.value = typeof prefill.name === 'string' ? prefill.name : '';
    const description = h('textarea', { name: 'description', rows: '3', maxlength: String(MAX_DESCRIPTION_CHARS) });
    description.value = typeof prefill.description === 'string' ? prefill.description : '';
    card.formError = h('div', { class: 'form-error', role: 'alert' });
    card.submit = h('button', { type: 'submit', class: 'lead-submit', text: t('lead_send') });
    card.decline = h('button', { type: 'button', class: 'lead-decline', text: t('lead_decline'), onclick: () => this.declineLead(card) });
    card.form = h(
      'form',
      { class: 'lead-form', novalidate: true, hidden: true, 'aria-label': t('lead_form_label') },
      field('email', t('lead_email'), email),
      field('name', t('lead_name'), name, true),
      field('description', t('lead_description'), description),
      card.formError,
      h('div', { class: 'lead-buttons' }, card.submit, card.decline),
    );
    card.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submitLead(card);
    });
    card.done = h('p', { class: 'lead-done', role: 'status', hidden: true });
    card.el = h('li', { class: 'lead' }, h('p', { class: 'lead-prompt', text: m.text }), card.form, card.done);
    this.leadCards.set(m.seq, card);
    return card.el;
  },

  /** Decides, for every request shown, whether its form is live, answered or moot. */
  syncLeads() {
    if (!this.leadCards || this.leadCards.size === 0) return;
    const cards = Array.from(this.leadCards.values()).sort((a, b) => a.seq - b.seq);
    const outcomes = Array.from(this.leadOutcomes.values()).sort((a, b) => a.seq - b.seq);
    cards.forEach((card, i) => {
      const next = i + 1 < cards.length ? cards[i + 1].seq : Infinity;
      const outcome = outcomes.find((o) => o.seq > card.seq && o.seq < next) || null;
      let mode;
      if (outcome) mode = outcome.kind === 'lead_captured' ? 'captured' : 'declined';
      else if (card.submitted) mode = 'captured';
      else if (card.declined) mode = 'declined';
      else if (i === cards.length - 1 && this.state === 'lead_capture') mode = 'active';
      else mode = 'closed';
      this.paintLead(card, mode, outcome);
    });
  },

  paintLead(card, mode, outcome) {
    const was = card.mode;
    const hadFocus = card.form.contains(this.root.activeElement);
    card.mode = mode;
    card.form.hidden = mode !== 'active';
    card.done.hidden = mode !== 'captured' && mode !== 'declined';
    card.done.classList.toggle('declined', mode === 'declined');
    if (mode === 'captured') {
      const email = (outcome && outcome.data && outcome.data.email) || card.submitted;
      card.done.textContent = '✓ ' + (email ? t('lead_sent_to', { email }) : t('lead_sent'));
    } else if (mode === 'declined') {
      card.done.textContent = t('lead_declined');
    }
    if (mode === 'active' && was !== 'active' && this.open && this.wsReady) {
      // A live request (not one replayed after a reload): the email field is the next step.
      card.fields.email.focus({ preventScroll: true });
      this.scrollToEnd();
    } else if (mode !== 'active' && hadFocus) {
      this.el.input.focus();
    }
  },

  setFieldError(card, name, text) {
    const control = card.fields[name];
    if (!control) return;
    card.errors[name].textContent = text;
    if (text) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  },

  async submitLead(card) {
    if (card.busy || card.mode !== 'active') return;
    for (const name of LEAD_FIELDS) this.setFieldError(card, name, '');
    card.formError.textContent = '';
    const email = card.fields.email.value.trim();
    if (!email) {
      this.setFieldError(card, 'email', t('lead_email_missing'));
      card.fields.email.focus();
      return;
    }
    const body = { client_id: card.clientId, email };
    const name = card.fields.name.value.trim();
    if (name) body.name = name;
    const description = card.fields.description.value.trim();
    if (description) body.description = description;
    this.setLeadBusy(card, true, t('lead_sending'));
    try {
      const res = await this.api('POST', '/conversations/' + this.conversationId + '/lead', body);
      card.submitted = email;
      if (res && res.state) this.setState(res.state, null);
      else this.syncLeads();
      if (!this.wsReady) this.catchUp();
    } catch (err) {
      if (err.status === 400 && err.field && card.fields[err.field]) {
        // The server's explanation is English; another language gets its own general sentence.
        this.setFieldError(card, err.field, lang === 'en' ? sentence(err.message) : t('error_invalid', { reason: t('error_invalid_reason') }));
        card.fields[err.field].focus();
      } else if (err.network || err.status >= 500) {
        // Safe to press again: the same key can only create one ticket.
        card.formError.textContent = err.network ? t('lead_error_network') : t('lead_error_server');
      } else {
        card.formError.textContent = this.describe(err);
        if (err.status === 409) this.refreshState();
      }
    } finally {
      this.setLeadBusy(card, false, t('lead_send'));
    }
  },

  async declineLead(card) {
    if (card.busy || card.mode !== 'active') return;
    card.formError.textContent = '';
    this.setLeadBusy(card, true, t('lead_send'));
    try {
      const res = await this.api('POST', '/conversations/' + this.conversationId + '/lead/decline');
      card.declined = true;
      if (res && res.state) this.setState(res.state, null);
      else this.syncLeads();
      if (!this.wsReady) this.catchUp();
    } catch (err) {
      card.formError.textContent = this.describe(err);
      if (err.status === 409) this.refreshState();
    } finally {
      this.setLeadBusy(card, false, t('lead_send'));
    }
  },

  setLeadBusy(card, busy, label) {
    card.busy = busy;
    card.submit.disabled = busy;
    card.decline.disabled = busy;
    card.submit.textContent = label;
    card.form.setAttribute('aria-busy', String(busy));
  },

  /** "Leave a message for the team": asks the server for the contact form at any time. */
  async requestTicket() {
    const button = this.el.ticket;
    button.disabled = true;
    this.showError('');
    try {
      await this.ensureConversation();
      const res = await this.api('POST', '/conversations/' + this.conversationId + '/ticket');
      if (res && res.state) this.setState(res.state, this.agentName);
      // The request itself arrives on the socket; without one, read it over HTTP.
      if (!this.wsReady) this.catchUp();
    } catch (err) {
      this.showError(this.describe(err));
    } finally {
      button.disabled = false;
    }
  },
});
