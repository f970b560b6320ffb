/*
 * Availability: "We're online" / "We're away — back Monday 09:00", refreshed when it changes.
 */

Object.assign(Widget.prototype, {
  /** Asks the server whether a person can be reached now, and when that changes. */
  async refreshAvailability() {
    if (this.loadingAvailability) return;
    this.loadingAvailability = true;
    try {
      const a = await this.api('GET', '/bots/' + encodeURIComponent(BOT_ID) + '/availability');
      if (a && typeof a.live === 'boolean') {
        this.availability = a;
        const at = parseTime(a.at);
        this.clockSkew = at ? at.getTime() - Date.now() : 0;
      }
    } catch (_) {
      // Unknown for now: keep what was shown (or nothing) and try again on the next refresh.
    } finally {
      this.loadingAvailability = false;
    }
    this.renderAvailability();
    this.scheduleAvailability();
  },

  /** Asks again just after the next change (the schedule opens or closes), while the chat is open. */
  scheduleAvailability() {
    clearTimeout(this.availabilityTimer);
    this.availabilityTimer = null;
    const next = this.availability && parseTime(this.availability.next_change);
    if (!this.open || !next) return;
    const serverNow = Date.now() + this.clockSkew;
    // At least a second (a change already past must not loop), at most six hours (clocks drift,
    // machines sleep; the 60-second refresh covers the rest while the chat is open).
    const delay = Math.min(6 * 60 * 60 * 1000, Math.max(1000, next.getTime() - serverNow + 1000));
    this.availabilityTimer = setTimeout(() => this.refreshAvailability(), delay);
  },

  /** The status line in the header and the "Talk to a person" button's wording. */
  renderAvailability() {
    const e = this.el;
    const a = this.availability;
    const messages = !!this.bot && this.bot.lead_capture_enabled !== false;
    let kind = null;
    let text = '';
    if (a && a.live) {
      kind = 'online';
      text = t('status_online');
    } else if (a && a.reason === 'schedule_closed') {
      const next = parseTime(a.next_change);
      kind = 'away';
      if (next) text = t('status_away_back', { when: backInWords(new Date(next.getTime() - this.clockSkew), new Date()) });
      else text = messages ? t('status_away_message') : t('status_away');
    } else if (a && a.reason === 'nobody_available') {
      // The same words as the chat's offline message: the team is offline, not "busy".
      kind = 'busy';
      text = messages ? t('status_offline_message') : t('status_offline');
    } else if (a && messages) {
      // Live chat is never offered here (handoff off, or never available): promise no person.
      kind = 'message';
      text = t('status_message');
    }
    // While a person is in the chat, the header already says who.
    const show = kind !== null && this.state !== 'human' && this.state !== 'freshchat';
    e.status.hidden = !show;
    if (show) {
      e.status.dataset.kind = kind;
      if (e.statusText.textContent !== text) e.statusText.textContent = text;
    }
    // Nobody can chat and messages are taken: "Leave a message" is the one way to a person (a
    // second button leading to the same form would only make the visitor choose).
    const away = !!a && !a.live;
    this.awayWithMessages = away && messages;
    if (away) e.human.title = t('human_unavailable');
    else e.human.removeAttribute('title');
    this.updateControls();
  },

  markSeen() {
    this.unread = 0;
    this.seenSeq = Math.max(this.seenSeq, this.streamSeq);
    this.el.badge.hidden = true;
    this.persist();
  },
});
