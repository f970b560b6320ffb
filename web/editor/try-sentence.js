/*
 * "Try a sentence": what the AI triggers would make of a visitor's sentence.
 */

import { $, h } from '../shared/dom.js';
import { api } from './http.js';
import { S } from './state.js';

const TRY_VERDICT = {
  user_request: 'Hands over: the visitor asks for a person',
  frustration: 'Hands over: frustration',
  complex_issue: 'Hands over: a complex technical issue',
  sales_opportunity: 'Hands over: a sales opportunity',
  none: 'No handoff',
};

/** Asks the server what the engine would do with the typed sentence under the editor's
 * current (possibly unsaved) sensitivities, and shows the trigger, confidence and rule. */
async function trySentence() {
  const text = $('try-text').value;
  const out = $('try-result');
  if (!text.trim()) {
    out.replaceChildren(h('p', { text: 'Type what a visitor might write, then press Try.' }));
    return;
  }
  const settings = S.model ? { ...S.model.settings.ai_triggers } : undefined;
  $('try-run').disabled = true;
  try {
    const res = await api('POST', '/triggers/explain', { text, settings });
    const e = res.explain || {};
    const words = (e.matched || []).map((w) => '“' + w + '”').join(', ');
    out.replaceChildren(
      h('p', { class: 'verdict', text: `${TRY_VERDICT[res.trigger] || res.trigger} (confidence ${Number(res.score).toFixed(2)})` }),
      h('p', { text: res.reason }),
      h('p', { class: 'muted', text: `Rule: ${e.family}${words ? ' — on ' + words : ''}${e.negated ? ' (negated)' : ''}` }),
    );
  } catch (err) {
    out.replaceChildren(h('p', { class: 'field-error', text: err.message }));
  } finally {
    $('try-run').disabled = false;
  }
}

export function wireTrySentence() {
  $('try-run').addEventListener('click', trySentence);
  // Enter tries the sentence; it must not submit the settings form.
  $('try-text').addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      trySentence();
    }
  });
}
