/*
 * Starting: who the visitor is when the site knows (signed identity), and the page's
 * window.BatonWidget (open, close, identify).
 */

/**
 * Who the visitor is, when the site knows (a logged-in customer): from the script's
 * data-visitor-id, data-visitor-email, data-visitor-name and data-visitor-signature, or from
 * BatonWidget.identify({ external_id, email, name, signature }) before the conversation starts.
 * The signature is made by the site's server with the workspace's identity secret.
 */
let identity = null;

function identityFrom(value) {
  if (!value || typeof value !== 'object') return null;
  const text = (v) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const externalId = text(value.external_id);
  const signature = text(value.signature);
  if (!externalId || !signature) return null;
  return { external_id: externalId, email: text(value.email), name: text(value.name), signature };
}

identity = identityFrom({
  external_id: script.getAttribute('data-visitor-id'),
  email: script.getAttribute('data-visitor-email'),
  name: script.getAttribute('data-visitor-name'),
  signature: script.getAttribute('data-visitor-signature'),
});

function start() {
  const host = document.createElement('div');
  host.id = 'baton-widget-' + BOT_ID.replace(/[^A-Za-z0-9_-]/g, '');
  document.body.append(host);
  const widget = new Widget(host);
  if (!window.BatonWidget) {
    window.BatonWidget = {
      open: () => widget.toggle(true),
      close: () => widget.toggle(false),
      /** Names the visitor for the next conversation; false when the identity is incomplete. */
      identify: (value) => {
        const next = identityFrom(value);
        if (next) identity = next;
        return Boolean(next);
      },
    };
  }
}

if (document.body) start();
else document.addEventListener('DOMContentLoaded', start, { once: true });
