/*
 * Knowledge: Q&A entries and Markdown documents, each saved on its own, and testing a question.
 */

import { describe } from '../shared/api.js';
import { $, h } from '../shared/dom.js';
import { byteLength, capitalize, charCount } from '../shared/text.js';
import { parseTime } from '../shared/time.js';
import { wireBotTool } from './bot.js';
import { announce } from './fields.js';
import { api } from './http.js';
import { kib, limit } from './limits.js';
import { S } from './state.js';
import { showTab } from './tabs.js';

const KN_LABELS = {
  qa: { title: 'Question', body: 'Answer', noun: 'Q&A entry' },
  document: { title: 'Title', body: 'Markdown', noun: 'document' },
};
/** The knowledge of the bot shown: entries, open editors (key → {kind, id, title, body, errors, busy}), deletions asked. */
export const K = { botId: null, entries: [], editors: new Map(), confirming: new Set(), loads: 0, tab: 'handoff' };

export function resetKnowledge() {
  K.botId = null;
  K.entries = [];
  K.editors.clear();
  K.confirming.clear();
  $('knowledge').dataset.loaded = 'false';
  $('kn-hits').replaceChildren();
  $('kn-test-status').textContent = '';
  $('kn-test-error').textContent = '';
}

export async function loadKnowledge(botId) {
  const load = ++K.loads;
  const el = $('kn-load-error');
  el.hidden = true;
  $('kn-bot-name').textContent = S.botName;
  if (K.botId !== botId) {
    resetKnowledge();
    renderKnowledge();
  }
  let res;
  try {
    res = await api('GET', '/bots/' + encodeURIComponent(botId) + '/knowledge');
  } catch (err) {
    if (load !== K.loads) return;
    if (err.status !== 401 && err.status !== 403) {
      el.textContent = 'Could not load the knowledge: ' + describe(err);
      el.hidden = false;
    }
    return;
  }
  if (load !== K.loads || botId !== S.botId) return;
  K.botId = botId;
  K.entries = res.entries || [];
  renderKnowledge();
  $('knowledge').dataset.loaded = 'true';
}

function knPath(id) {
  return '/bots/' + encodeURIComponent(K.botId) + '/knowledge' + (id ? '/' + encodeURIComponent(id) : '');
}

function renderKnowledge() {
  const sorted = K.entries.slice().sort((a, b) => a.title.localeCompare(b.title));
  const qa = sorted.filter((e) => e.kind === 'qa');
  const docs = sorted.filter((e) => e.kind === 'document');
  $('kn-qa').replaceChildren(...qa.map(entryElement));
  $('kn-docs').replaceChildren(...docs.map(entryElement));
  $('kn-qa-empty').hidden = qa.length > 0;
  $('kn-doc-empty').hidden = docs.length > 0;
  $('kn-qa-count').textContent = qa.length ? '(' + qa.length + ')' : '';
  $('kn-doc-count').textContent = docs.length ? '(' + docs.length + ')' : '';
  for (const kind of ['qa', 'document']) {
    const ed = K.editors.get('new-' + kind);
    $('kn-new-' + kind).replaceChildren(...(ed ? [editorElement(ed)] : []));
    $('kn-add-' + kind).disabled = Boolean(ed);
  }
}

function openNew(kind) {
  const key = 'new-' + kind;
  if (!K.editors.has(key)) K.editors.set(key, { key, kind, id: null, title: '', body: '', errors: {}, formError: '', busy: false });
  renderKnowledge();
  const input = document.getElementById('kn-' + key + '-title');
  if (input) input.focus();
}

function openEdit(entry) {
  K.confirming.delete(entry.id);
  K.editors.set(entry.id, { key: entry.id, kind: entry.kind, id: entry.id, title: entry.title, body: entry.body, errors: {}, formError: '', busy: false });
  renderKnowledge();
  const input = document.getElementById('kn-' + entry.id + '-title');
  if (input) input.focus();
}

function closeEditor(key, focusId) {
  K.editors.delete(key);
  renderKnowledge();
  const target = focusId && document.getElementById(focusId);
  if (target) target.focus();
}

function preview(entry) {
  if (entry.kind === 'qa') return entry.body;
  const text = entry.body.replace(/^\s*#{1,6}\s+/gm, '').replace(/\s+/g, ' ').trim();
  return text.length > 220 ? text.slice(0, 220) + '…' : text;
}

function sizeLabel(text) {
  const bytes = byteLength(text);
  return bytes < 1024 ? bytes + ' bytes' : (bytes / 1024).toFixed(bytes < 10240 ? 1 : 0) + ' KiB';
}

function entryElement(entry) {
  const ed = K.editors.get(entry.id);
  if (ed) return h('li', { class: 'kn-entry editing', 'data-entry': entry.id }, editorElement(ed));
  const updated = parseTime(entry.updated_at);
  const item = h(
    'li',
    { class: 'kn-entry', 'data-entry': entry.id },
    h('h3', { class: 'kn-title', text: entry.title }),
    h('p', { class: 'kn-body' + (entry.kind === 'qa' ? ' answer' : ''), text: preview(entry) }),
    h(
      'p',
      { class: 'help' },
      (entry.kind === 'document' ? 'Markdown · ' + sizeLabel(entry.body) + ' · ' : '') +
        (updated ? 'updated ' + new Date(updated).toLocaleString() : ''),
    ),
  );
  const label = KN_LABELS[entry.kind].noun + ' “' + entry.title + '”';
  if (K.confirming.has(entry.id)) {
    const keep = h('button', {
      type: 'button',
      id: 'kn-' + entry.id + '-keep',
      text: 'Keep it',
      onclick: () => {
        K.confirming.delete(entry.id);
        renderKnowledge();
        const again = document.getElementById('kn-' + entry.id + '-delete');
        if (again) again.focus();
      },
    });
    const remove = h('button', { type: 'button', class: 'danger', id: 'kn-' + entry.id + '-confirm', text: 'Delete', onclick: (ev) => deleteEntry(entry, ev.currentTarget) });
    item.append(
      h(
        'div',
        { class: 'kn-confirm', role: 'alert' },
        h('p', { text: 'Delete this ' + KN_LABELS[entry.kind].noun + '? The AI stops using it at once; this cannot be undone.' }),
        h('p', { class: 'form-error', id: 'kn-' + entry.id + '-delete-error' }),
        h('div', { class: 'kn-buttons' }, remove, keep),
      ),
    );
    setTimeout(() => keep.focus(), 0);
  } else {
    item.append(
      h(
        'div',
        { class: 'kn-buttons' },
        h('button', { type: 'button', id: 'kn-' + entry.id + '-edit', 'aria-label': 'Edit ' + label, text: 'Edit', onclick: () => openEdit(entry) }),
        h('button', {
          type: 'button',
          id: 'kn-' + entry.id + '-delete',
          'aria-label': 'Delete ' + label,
          text: 'Delete',
          onclick: () => {
            K.confirming.add(entry.id);
            renderKnowledge();
          },
        }),
      ),
    );
  }
  return item;
}

/** The form of a new or edited entry; its values live in `ed`, so a re-render keeps them. */
function editorElement(ed) {
  const base = 'kn-' + ed.key;
  const labels = KN_LABELS[ed.kind];
  const isDoc = ed.kind === 'document';
  const field = (name, control, help) => {
    const id = base + '-' + name;
    control.id = id;
    const error = h('p', { class: 'field-error', id: id + '-error', 'aria-live': 'polite' });
    if (ed.errors[name]) {
      error.append(h('span', { text: ed.errors[name] }));
      control.setAttribute('aria-invalid', 'true');
    }
    control.setAttribute('aria-describedby', (help ? id + '-help ' : '') + id + '-error');
    control.addEventListener('input', () => {
      ed[name] = control.value;
      if (ed.errors[name]) {
        delete ed.errors[name];
        error.replaceChildren();
        control.removeAttribute('aria-invalid');
      }
    });
    return h(
      'div',
      { class: 'field' + (ed.errors[name] ? ' has-error' : '') },
      h('label', { for: id, text: labels[name] }),
      control,
      help ? h('p', { class: 'help', id: id + '-help', text: help }) : null,
      error,
    );
  };
  const title = h('input', { type: 'text', maxlength: String(limit('knowledge.title_chars')), autocomplete: 'off', value: ed.title });
  const body = h('textarea', { rows: isDoc ? '14' : '4', value: ed.body, spellcheck: isDoc ? 'false' : null });
  if (!isDoc) body.setAttribute('maxlength', String(limit('knowledge.answer_chars')));
  else body.classList.add('markdown');
  const save = h('button', { type: 'submit', class: 'primary', text: ed.busy ? 'Saving…' : ed.id ? 'Save' : 'Add', disabled: ed.busy });
  const cancel = h('button', {
    type: 'button',
    text: 'Cancel',
    disabled: ed.busy,
    onclick: () => closeEditor(ed.key, ed.id ? 'kn-' + ed.id + '-edit' : 'kn-add-' + ed.kind),
  });
  let upload = null;
  if (isDoc) {
    const fileInput = h('input', { type: 'file', id: base + '-file', accept: '.md,.markdown,.txt,text/markdown,text/plain', class: 'sr-only', tabindex: '-1' });
    const pick = h('button', { type: 'button', class: 'linkish', text: 'Upload a .md file…', onclick: () => fileInput.click() });
    fileInput.addEventListener('change', () => readMarkdownFile(ed, fileInput, title, body));
    upload = h('div', { class: 'kn-upload' }, pick, fileInput, h('span', { class: 'help', text: 'replaces the text below; nothing is saved until you press ' + (ed.id ? 'Save' : 'Add') + '.' }));
  }
  const form = h(
    'form',
    { class: 'kn-editor', novalidate: true, 'aria-label': (ed.id ? 'Edit ' : 'New ') + labels.noun },
    field('title', title),
    upload,
    field('body', body, isDoc ? 'Markdown: # headings split it into sections. Up to ' + kib(limit('knowledge.document_bytes')) + '.' : null),
    h('p', { class: 'form-error', role: 'alert', text: ed.formError || '' }),
    h('div', { class: 'kn-buttons' }, save, cancel),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    saveEntry(ed);
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !ed.busy) {
      ev.preventDefault();
      closeEditor(ed.key, ed.id ? 'kn-' + ed.id + '-edit' : 'kn-add-' + ed.kind);
    }
  });
  return form;
}

function readMarkdownFile(ed, fileInput, titleInput, bodyInput) {
  const file = fileInput.files && fileInput.files[0];
  fileInput.value = '';
  if (!file) return;
  if (file.size > limit('knowledge.document_bytes')) {
    ed.errors.body = file.name + ' is ' + Math.ceil(file.size / 1024) + ' KiB: a document holds at most ' + kib(limit('knowledge.document_bytes')) + ' of Markdown.';
    renderKnowledge();
    return;
  }
  const reader = new FileReader();
  reader.addEventListener('load', () => {
    ed.body = String(reader.result || '');
    delete ed.errors.body;
    if (!ed.title.trim()) {
      const heading = /^#\s+(.+)$/m.exec(ed.body);
      ed.title = (heading ? heading[1] : file.name.replace(/\.(md|markdown|txt)$/i, '')).trim().slice(0, limit('knowledge.title_chars'));
      delete ed.errors.title;
    }
    renderKnowledge();
    const again = document.getElementById('kn-' + ed.key + '-body');
    if (again) again.focus();
    announce('Read ' + file.name + '.');
  });
  reader.addEventListener('error', () => {
    ed.errors.body = 'Could not read ' + file.name + '.';
    renderKnowledge();
  });
  reader.readAsText(file);
}

/** What the server would refuse, found before sending. */
function entryProblems(ed) {
  const errors = {};
  const title = ed.title.trim();
  const body = ed.body.trim();
  const what = ed.kind === 'qa' ? 'question' : 'title';
  if (!title) errors.title = 'Write the ' + what + '.';
  else if (charCount(title) > limit('knowledge.title_chars')) errors.title = 'The ' + what + ' is too long: at most ' + limit('knowledge.title_chars') + ' characters.';
  else if (/[\u0000-\u001f\u007f]/.test(title)) errors.title = 'The ' + what + ' must fit on one line.';
  if (!body) errors.body = ed.kind === 'qa' ? 'Write the answer.' : 'Write or upload the Markdown.';
  else if (ed.kind === 'qa' && charCount(body) > limit('knowledge.answer_chars')) errors.body = 'The answer is too long: at most ' + limit('knowledge.answer_chars') + ' characters.';
  else if (ed.kind === 'document' && byteLength(body) > limit('knowledge.document_bytes')) errors.body = 'The document is ' + sizeLabel(body) + ': at most ' + kib(limit('knowledge.document_bytes')) + ' of Markdown.';
  return errors;
}

async function saveEntry(ed) {
  if (ed.busy || !K.botId) return;
  ed.errors = entryProblems(ed);
  ed.formError = '';
  if (Object.keys(ed.errors).length) {
    renderKnowledge();
    const first = document.getElementById('kn-' + ed.key + '-' + (ed.errors.title ? 'title' : 'body'));
    if (first) first.focus();
    return;
  }
  const botId = K.botId;
  ed.busy = true;
  renderKnowledge();
  const title = ed.title.trim();
  const body = ed.body.trim();
  try {
    if (ed.id) {
      await api('PUT', knPath(ed.id), { title, body });
      if (botId !== K.botId) return;
      const entry = K.entries.find((e) => e.id === ed.id);
      if (entry) Object.assign(entry, { title, body, updated_at: new Date().toISOString() });
      K.editors.delete(ed.key);
      renderKnowledge();
      announce('Saved.');
      const edit = document.getElementById('kn-' + ed.id + '-edit');
      if (edit) edit.focus();
    } else {
      const res = await api('POST', knPath(), { kind: ed.kind, title, body });
      if (botId !== K.botId) return;
      if (res && res.entry) K.entries.push(res.entry);
      K.editors.delete(ed.key);
      renderKnowledge();
      announce('Added.');
      const add = document.getElementById('kn-add-' + ed.kind);
      if (add) add.focus();
    }
  } catch (err) {
    ed.busy = false;
    if ((err.status === 400 || err.status === 413) && (err.field === 'title' || err.field === 'body')) {
      ed.errors[err.field] = capitalize(err.message || 'Invalid value') + (/[.!?]$/.test(err.message || '') ? '' : '.');
    } else if (err.status === 404 && ed.id) {
      ed.formError = 'This entry no longer exists (someone deleted it). Cancel, or copy your text into a new entry.';
    } else if (err.status === 409) {
      ed.formError = 'Not saved: ' + capitalize(err.message || 'too many entries') + '.';
    } else if (err.status === 401 || err.status === 403) {
      ed.formError = 'Not saved: ' + (err.status === 401 ? 'your session has ended.' : 'only admins can change the knowledge.');
    } else {
      ed.formError = 'Not saved: ' + describe(err) + ' Your text is still here; try again.';
    }
    renderKnowledge();
    const field = ed.errors.title ? 'title' : ed.errors.body ? 'body' : null;
    const target = field && document.getElementById('kn-' + ed.key + '-' + field);
    if (target) target.focus();
  } finally {
    ed.busy = false;
  }
}

async function deleteEntry(entry, button) {
  button.disabled = true;
  const botId = K.botId;
  try {
    await api('DELETE', knPath(entry.id));
  } catch (err) {
    if (err.status !== 404) {
      button.disabled = false;
      const el = document.getElementById('kn-' + entry.id + '-delete-error');
      if (el) el.textContent = 'Not deleted: ' + describe(err);
      return;
    }
  }
  if (botId !== K.botId) return;
  K.entries = K.entries.filter((e) => e.id !== entry.id);
  K.confirming.delete(entry.id);
  K.editors.delete(entry.id);
  renderKnowledge();
  announce('Deleted.');
  $('kn-add-' + entry.kind).focus();
}

function sourceLabel(source) {
  if (!source) return '';
  if (source.kind === 'qa') return 'FAQ: ' + (source.question || '');
  const path = Array.isArray(source.heading_path) ? source.heading_path : [];
  return [source.title || 'Document', ...path].join(' › ');
}

async function testQuestion(ev) {
  if (ev) ev.preventDefault();
  const q = $('kn-test-q').value.trim();
  const error = $('kn-test-error');
  const status = $('kn-test-status');
  error.replaceChildren();
  $('kn-test-q').removeAttribute('aria-invalid');
  if (!q) {
    error.append(h('span', { text: 'Type a question to test.' }));
    $('kn-test-q').setAttribute('aria-invalid', 'true');
    $('kn-test-q').focus();
    return;
  }
  if (!K.botId) return;
  $('kn-test-run').disabled = true;
  status.textContent = 'Searching…';
  try {
    const res = await api('GET', knPath() + '/search?' + new URLSearchParams({ q, k: '5' }));
    const hits = res.hits || [];
    $('kn-hits').replaceChildren(
      ...hits.map((hit, i) =>
        h(
          'li',
          { class: 'kn-hit' + (i === 0 ? ' best' : '') },
          h(
            'div',
            { class: 'kn-hit-head' },
            h('span', { class: 'kn-source ' + (hit.source && hit.source.kind === 'qa' ? 'qa' : 'document'), text: sourceLabel(hit.source) }),
            h('span', { class: 'muted small', text: 'covers ' + Math.round((Number(hit.coverage) || 0) * 100) + '% of the question' }),
          ),
          h('p', { class: 'kn-hit-text', text: hit.text.length > 600 ? hit.text.slice(0, 600) + '…' : hit.text }),
        ),
      ),
    );
    status.textContent = hits.length
      ? hits.length + (hits.length === 1 ? ' match' : ' matches') + ', best first.'
      : 'Nothing in the knowledge matches this question: the AI would answer without it.';
  } catch (err) {
    $('kn-hits').replaceChildren();
    status.textContent = '';
    error.append(h('span', { text: describe(err) }));
  } finally {
    $('kn-test-run').disabled = false;
  }
}

export function wireKnowledge() {
  for (const b of document.querySelectorAll('.tool-tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  $('kn-add-qa').addEventListener('click', () => openNew('qa'));
  $('kn-add-document').addEventListener('click', () => openNew('document'));
  $('kn-test').addEventListener('submit', testQuestion);
  window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
  wireBotTool();
}
