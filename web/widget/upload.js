/*
 * Sending a file: picking it, the upload with its progress and errors, and files in the log.
 */

Object.assign(Widget.prototype, {
  /** A sent file: an image thumbnail or a named link, both to our download URL only. */
  fileElement(m) {
    const data = m.data || {};
    const name = String(data.name || m.text || 'file');
    if (!data.attachment_id || !this.token) return h('span', { text: name });
    const url =
      ORIGIN + '/api/v1/attachments/' + encodeURIComponent(data.attachment_id) + '?token=' + encodeURIComponent(this.token);
    const link = h('a', { class: 'file-link', href: url, target: '_blank', rel: 'noopener noreferrer' });
    if (INLINE_IMAGES.has(data.content_type)) {
      const img = h('img', { class: 'file-thumb', alt: name, loading: 'lazy' });
      img.src = url;
      link.append(img);
    } else {
      link.textContent = name;
    }
    return link;
  },

  /** Uploads the chosen file with a new client id, shown meanwhile as a pending bubble. */
  async sendFile() {
    const input = this.el.file;
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    const upload = { clientId: newClientId(), file, el: null, sub: null };
    this.uploads.set(upload.clientId, upload);
    const sub = h('div', { class: 'sub' });
    upload.sub = sub;
    upload.el = h(
      'li',
      { class: 'msg visitor pending upload' },
      h('span', { class: 'sr-only', text: t('you_said') }),
      h('div', { class: 'bubble' }, h('span', { class: 'file-name', text: file.name || 'file' })),
      sub,
    );
    this.el.log.append(upload.el);
    this.scrollToEnd();
    await this.uploadFile(upload);
  },

  /** Paints a pending upload: sending, or failed with the reason and Retry / Delete. */
  paintUpload(upload, error) {
    const failed = error !== undefined;
    upload.el.classList.toggle('failed', failed);
    upload.el.classList.toggle('pending', !failed);
    upload.sub.replaceChildren();
    if (!failed) {
      upload.sub.append(t('pending_sending'));
      return;
    }
    upload.sub.append(
      (error ? error + ' ' : '') + t('pending_failed') + ' ',
      h('button', { type: 'button', text: t('retry'), onclick: () => this.uploadFile(upload) }),
      h('button', {
        type: 'button',
        text: t('delete'),
        onclick: () => {
          upload.el.remove();
          this.uploads.delete(upload.clientId);
        },
      }),
    );
  },

  /**
   * Sends one pending upload (again): always under its own client id, so a retry after a lost
   * answer stores one file. Network and server errors are retried twice by themselves.
   */
  async uploadFile(upload) {
    this.showError('');
    this.paintUpload(upload);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureConversation();
        const form = new FormData();
        form.append('client_id', upload.clientId);
        form.append('file', upload.file, upload.file.name);
        let res;
        try {
          res = await fetch(API + '/conversations/' + encodeURIComponent(this.conversationId) + '/attachments', {
            method: 'POST',
            headers: { Authorization: 'Bearer ' + this.token },
            body: form,
            mode: 'cors',
            credentials: 'omit',
            cache: 'no-store',
          });
        } catch (_) {
          throw new ApiError('network', { network: true });
        }
        const data = await res.json().catch(() => null);
        if (!res.ok) {
          const error = (data && data.error) || {};
          throw new ApiError(error.message || 'HTTP ' + res.status, { status: res.status, code: error.code, field: error.field });
        }
        this.uploads.delete(upload.clientId);
        upload.el.remove();
        this.renderMessage(data.message);
        return;
      } catch (err) {
        if ((err.network || err.status >= 500) && attempt < 3) {
          await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
          continue;
        }
        // The server's message names the limit or the accepted types.
        const refused = err.status === 413 || err.status === 415 || err.status === 409 || err.status === 400;
        // A lost connection needs no words beyond "Not sent.": Retry says what to do.
        const reason = refused ? err.message : err.network ? '' : this.describe(err);
        if (refused) this.showError(err.message);
        this.paintUpload(upload, reason);
        return;
      }
    }
  },
});
