/*
 * The limits the server enforces on what agents edit in the panel (GET /api/v1/limits): the
 * forms' maxlength attributes come from them rather than from numbers of the panel's own.
 */

import { $ } from '../shared/dom.js';
import { api } from './http.js';
import { S } from './state.js';

/** Reads the limits once per page and applies them; until then (or if that fails) the server's checks still answer. */
export async function loadLimits() {
  if (S.limits) return;
  try {
    S.limits = await api('GET', '/limits');
  } catch (_) {
    return;
  }
  $('af-display_name').maxLength = S.limits.agent.display_name_chars;
  // A shortcut may be typed with its leading '/'.
  $('sr-shortcut').maxLength = S.limits.saved_replies.shortcut_chars + 1;
  $('sr-text').maxLength = S.limits.saved_replies.text_chars;
}
