/*
 * Toasts, the new-handoff sound and desktop notifications.
 */

import { $, h } from '../shared/dom.js';
import { S } from './state.js';

const TOASTS_SHOWN = 3;

export function toast(title, text, opts) {
  const o = opts || {};
  const body = h('div', { class: 'toast-body' }, h('strong', { text: title }), text ? h('div', { class: 'toast-text', text }) : null);
  const el = h('div', { class: 'toast ' + (o.kind || ''), role: o.kind === 'error' ? 'alert' : 'status' }, body);
  if (o.key) el.dataset.key = o.key;
  for (const action of o.actions || []) {
    el.append(
      h('button', {
        type: 'button',
        text: action.label,
        onclick: () => {
          el.remove();
          action.run();
        },
      }),
    );
  }
  el.append(h('button', { type: 'button', 'aria-label': 'Dismiss', text: '×', onclick: () => el.remove() }));
  // One stack, newest first, at most TOASTS_SHOWN: the queue in the sidebar holds the rest.
  const stack = $('toasts');
  stack.prepend(el);
  while (stack.children.length > TOASTS_SHOWN) stack.lastElementChild.remove();
  setTimeout(() => el.remove(), o.timeout || 8000);
  return el;
}

export function dropToasts(key) {
  for (const el of $('toasts').querySelectorAll('.toast')) if (el.dataset.key === key) el.remove();
}

/** Browsers only let audio start after a user gesture: the context is created on the first one. */
export function unlockAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  if (!S.audio) {
    try {
      S.audio = new Ctx();
    } catch (_) {
      return;
    }
  }
  if (S.audio.state === 'suspended') S.audio.resume().catch(() => {});
}

export function beep() {
  const ctx = S.audio;
  if (!ctx || ctx.state !== 'running') return;
  const now = ctx.currentTime;
  [880, 1175].forEach((freq, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t = now + i * 0.16;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.14);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.15);
  });
}

export function desktopNotify(title, body, onClick) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    const n = new Notification(title, { body, tag: 'baton-' + title });
    n.onclick = () => {
      window.focus();
      n.close();
      onClick();
    };
  } catch (_) {
    /* some browsers only allow notifications from a service worker */
  }
}

export function updateNotifyButton() {
  const button = $('notify-enable');
  button.hidden = !('Notification' in window) || Notification.permission !== 'default';
}
