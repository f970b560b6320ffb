/*
 * Form helpers: id-safe field paths, Translations disclosures, and announcements to screen readers.
 */

import { $, h } from '../shared/dom.js';
import { TEXT_LANGS } from './constants.js';

/** An id-safe version of a field path: `schedule.weekly.monday.slots[1]` → `schedule-weekly-monday-slots-1-`. */
export const pathId = (path) => String(path).replace(/[^A-Za-z0-9_-]/g, '-');

/**
 * A "Translations" disclosure for one text: a text area per language, each showing the text as
 * written as its placeholder. A visitor in a language filled in here reads that instead; an
 * empty one means the text as written. `fieldPath(lang)` names each area for the server's errors.
 */
export function translationsBlock(idPrefix, label, limitPath, fieldPath) {
  const inputs = new Map();
  const fields = TEXT_LANGS.map(([lang, name]) => {
    const id = idPrefix + '-tr-' + lang;
    const path = fieldPath(lang);
    const area = h('textarea', {
      id,
      rows: '2',
      'data-limit': limitPath,
      lang,
      'data-field': path,
      'aria-describedby': 'err-' + pathId(path),
    });
    inputs.set(lang, area);
    return h(
      'div',
      { class: 'field translation' },
      h('label', { for: id, text: name }),
      area,
      h('p', { class: 'field-error', id: 'err-' + pathId(path), 'aria-live': 'polite' }),
    );
  });
  const details = h(
    'details',
    { class: 'translations', id: idPrefix + '-translations' },
    h('summary', { text: label + ' in other languages' }),
    h('p', { class: 'help muted', text: 'Visitors whose widget speaks one of these languages read the text written here; leave it empty and they read the text above.' }),
    fields,
  );
  return { details, inputs };
}

/** Shows the text as written as every translation's placeholder. */
export function showBaseAsPlaceholder(block, base) {
  for (const area of block.inputs.values()) area.placeholder = base;
}

/** Fills a block from `texts` ({lang: text}); opens it when any is filled in. */
export function fillTranslations(block, texts) {
  let any = false;
  for (const [lang, area] of block.inputs) {
    area.value = (texts && texts[lang]) || '';
    if (area.value) any = true;
  }
  if (any) block.details.open = true;
}

/** The path one level up: `a.b[1].c` → `a.b[1]` → `a.b` → `a` → ''. */
export function parentPath(path) {
  const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m ? m[1] : '';
}

export function announce(text) {
  const el = $('announcer');
  el.textContent = '';
  setTimeout(() => {
    el.textContent = text;
  }, 30);
}
