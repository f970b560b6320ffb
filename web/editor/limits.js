/*
 * The limits the server enforces (GET /api/v1/limits), read once when an admin signs in. The
 * form's maxlength attributes, its counters and its checks all use them, so the editor never
 * disagrees with the server's validators and holds no copy of their numbers.
 */

import { $ } from '../shared/dom.js';
import { api } from './http.js';
import { S } from './state.js';

/** A limit by its path in the server's answer, e.g. `handoff.instruction_chars`. */
export function limit(path) {
  return path.split('.').reduce((value, key) => value[key], S.limits);
}

/** A size in bytes as the editor words it: "256 KiB". */
export function kib(bytes) {
  return Math.floor(bytes / 1024) + ' KiB';
}

/** Reads the limits (once per page) and applies them to the form. */
export async function loadLimits() {
  if (S.limits) return;
  S.limits = await api('GET', '/limits');
  applyLimits();
}

/** Every `data-limit` field gets its maxlength; the accept timeout its range; texts their sizes. */
function applyLimits() {
  for (const el of document.querySelectorAll('[data-limit]')) el.maxLength = limit(el.dataset.limit);
  const timeout = $('accept-timeout');
  timeout.min = String(limit('handoff.accept_timeout_seconds.min'));
  timeout.max = String(limit('handoff.accept_timeout_seconds.max'));
  $('kn-document-size').textContent = kib(limit('knowledge.document_bytes'));
}
