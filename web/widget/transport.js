/*
 * Talking to the server: the widget API over HTTP and the conversation's WebSocket (reconnects
 * with backoff, heartbeats, resumes from the last sequence number; docs/websocket.md).
 */

Object.assign(Widget.prototype, {
  async api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token && path.startsWith('/conversations/')) headers.Authorization = 'Bearer ' + this.token;
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: 'cors',
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (_) {
      throw new ApiError('network', { network: true });
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const error = (data && data.error) || {};
      const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      throw new ApiError(error.message || 'HTTP ' + res.status, {
        status: res.status,
        code: error.code,
        field: error.field,
        retryAfter: Number.isFinite(retry) ? retry : null,
      });
    }
    return data;
  },

  /** A server failure in words a visitor understands. */
  describe(err) {
    if (err.network) return t('error_network');
    switch (err.status) {
      case 413:
        return t('error_too_large');
      case 429:
        return err.retryAfter ? t('error_rate_limited_for', { seconds: secondsInWords(err.retryAfter) }) : t('error_rate_limited');
      case 400:
        return t('error_invalid', { reason: (lang === 'en' && err.message) || t('error_invalid_reason') });
      case 403:
      case 404:
        return t('error_conversation_gone');
      case 409:
        // The server's explanation is English; another language gets its own general sentence.
        return err.message && lang === 'en' ? err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.' : t('error_conflict');
      default:
        return err.status >= 500 ? t('error_server') : (lang === 'en' && err.message) || t('error_other');
    }
  },

  connect() {
    if (!this.conversationId || this.ws) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const url =
      WS_ORIGIN + '/api/v1/widget/conversations/' + encodeURIComponent(this.conversationId) + '/ws?token=' + encodeURIComponent(this.token) + '&after=' + this.streamSeq;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (_) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.wsReady = false;
    ws.addEventListener('message', (ev) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch (_) {
        return;
      }
      this.onFrame(frame);
    });
    ws.addEventListener('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.wsReady = false;
      this.stopHeartbeat();
      this.scheduleReconnect();
    });
  },

  disconnect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopHeartbeat();
    const ws = this.ws;
    this.ws = null;
    this.wsReady = false;
    if (ws) ws.close(1000);
  },

  wsSend(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  },

  reconnectNow() {
    if (!this.conversationId || this.ws) return;
    this.reconnectAttempt = 0;
    this.connect();
  },

  async scheduleReconnect() {
    if (!this.conversationId || this.reconnectTimer) return;
    this.reconnectAttempt += 1;
    this.failedConnects += 1;
    // After repeated failures, check whether the conversation still exists for this token.
    if (this.failedConnects === 3) {
      try {
        await this.api('GET', '/conversations/' + this.conversationId);
      } catch (err) {
        if (err.status === 403 || err.status === 404) {
          this.forget(t('conversation_expired'));
          return;
        }
      }
    }
    const base = Math.min(30000, 1000 * 2 ** Math.min(this.reconnectAttempt - 1, 5));
    const delay = Math.round(base * (0.5 + Math.random() / 2));
    if (this.reconnectAttempt > 1) {
      this.el.conn.textContent = t('connection_lost', { seconds: secondsInWords(Math.max(1, Math.round(delay / 1000))) });
      this.el.conn.hidden = false;
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  },

  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      this.wsSend({ type: 'ping' });
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // No answer: the connection is dead even if the browser has not noticed.
        if (this.ws) this.ws.close();
      }, 10000);
    }, 25000);
  },

  stopHeartbeat() {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.pongTimer);
  },

  onFrame(frame) {
    clearTimeout(this.pongTimer);
    switch (frame.type) {
      case 'message': {
        const m = frame.message;
        if (!m || typeof m.seq !== 'number') return;
        this.renderMessage(m);
        if (m.seq > this.streamSeq) this.streamSeq = m.seq;
        if (m.seq > this.savedSeq) this.savedSeq = m.seq;
        if (!this.open && m.author_kind !== 'visitor' && m.seq > this.seenSeq) {
          this.unread += 1;
          this.el.badge.textContent = String(this.unread);
          this.el.badge.hidden = false;
          this.updateLauncherLabel();
        } else if (this.open) {
          this.seenSeq = Math.max(this.seenSeq, m.seq);
        }
        this.persist();
        break;
      }
      case 'state':
        this.setState(frame.state, frame.agent_name);
        if (frame.state !== 'human') this.hideTyping('agent');
        if (frame.state === 'lead_capture') this.hideTyping('bot');
        break;
      case 'queue':
        if (frame.conversation_id === this.conversationId) {
          this.queue = { position: frame.position, expected_wait_seconds: frame.expected_wait_seconds };
          this.updateControls();
        }
        break;
      case 'typing':
        if (frame.author_kind === 'bot' && this.draft) break;
        this.showTyping(frame);
        break;
      case 'delta':
        if (frame.conversation_id === this.conversationId) this.appendDelta(frame.text);
        break;
      case 'delta_end':
        // The turn ended: a stored reply has replaced the preview; a dropped one must go.
        if (frame.conversation_id === this.conversationId) {
          this.discardDraft();
          this.hideTyping('bot');
        }
        break;
      case 'ready':
        this.wsReady = true;
        this.reconnectAttempt = 0;
        this.failedConnects = 0;
        this.el.conn.hidden = true;
        this.startHeartbeat();
        this.flushOutbox();
        break;
      case 'error':
        if (frame.error && frame.error.message) console.warn('[baton] ' + frame.error.message);
        break;
      default:
        break;
    }
  },
});
