/*
 * Baton Agent Editor: a bot's Handoff tool: enable/disable, instruction, AI
 * triggers, accept timeout, "AI keeps helping while waiting", offline message, lead capture, and
 * the availability schedule (time zone, weekly slots, copy to other days, holidays and special
 * dates, never available) with a live preview. Admins only.
 *
 * Everything is saved at once with PUT /api/v1/bots/{id}/handoff, which stores all of it or
 * nothing; every problem the server reports is shown next to its field (the error's field path,
 * e.g. `schedule.weekly.monday.slots[1]`, names the row) and in a summary.
 *
 * Served under a strict CSP: no inline scripts or handlers. Text from the server or the user is
 * inserted with textContent, never parsed as HTML.
 */
(() => {
  'use strict';

  const API = '/api/v1';
  const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  const DAY_LABEL = {
    monday: 'Monday',
    tuesday: 'Tuesday',
    wednesday: 'Wednesday',
    thursday: 'Thursday',
    friday: 'Friday',
    saturday: 'Saturday',
    sunday: 'Sunday',
  };
  const WEEKDAYS = DAYS.slice(0, 5);
  const LEVELS = [
    ['off', 'Off'],
    ['low', 'Low'],
    ['medium', 'Medium'],
    ['high', 'High'],
  ];
  /** Limits, as the server enforces them (crates/baton-server/src/http/admin.rs, schedule/validate.rs). */
  const MIN_TIMEOUT = 10;
  const MAX_TIMEOUT = 3600;
  const MAX_SLOTS = 12;
  const MAX_OVERRIDES = 366;
  const TEXT_FIELDS = [
    { id: 'instruction', key: 'instruction', max: 2000, label: 'Instruction' },
    { id: 'offline-message', key: 'offline_message', max: 1000, label: 'Offline message' },
    { id: 'lead-prompt', key: 'lead_capture_prompt', max: 1000, label: 'Lead capture prompt' },
    { id: 'lead-success', key: 'lead_capture_success', max: 1000, label: 'Success message' },
  ];
  /** The texts a visitor reads that an admin may translate in this tool (the greeting is the Bot tool's). */
  const TRANSLATED = TEXT_FIELDS.filter((f) => f.key !== 'instruction');
  /** The languages the widget speaks, in the order the Translations disclosure lists them. */
  const TEXT_LANGS = [
    ['de', 'German (Deutsch)'],
    ['fr', 'French (Français)'],
    ['es', 'Spanish (Español)'],
    ['pt', 'Portuguese (Português)'],
    ['en', 'English (when the text above is in another language)'],
  ];
  const CHECKS = [
    { id: 'handoff-enabled', key: 'enabled', label: 'Handoff enabled' },
    { id: 'ai-helps', key: 'ai_helps_while_waiting', label: 'AI keeps helping while waiting' },
    { id: 'lead-enabled', key: 'lead_capture_enabled', label: 'Lead capture' },
    { id: 'freshchat-enabled', key: 'freshchat_enabled', label: 'Route handoffs to FreshChat' },
  ];
  const TRIGGERS = [
    { id: 'trigger-frustration', key: 'frustration', label: 'Frustration trigger' },
    { id: 'trigger-complex', key: 'complex_issue', label: 'Complex issue trigger' },
    { id: 'trigger-sales', key: 'sales_opportunity', label: 'Sales opportunity trigger' },
  ];
  const FIELD_LABEL = {
    'settings.enabled': 'Handoff enabled',
    'settings.instruction': 'Instruction',
    'settings.offline_message': 'Offline message',
    'settings.accept_timeout_seconds': 'Accept timeout',
    'settings.ai_helps_while_waiting': 'AI keeps helping while waiting',
    'settings.lead_capture_enabled': 'Lead capture',
    'settings.freshchat_enabled': 'Route handoffs to FreshChat',
    'settings.lead_capture_prompt': 'Lead capture prompt',
    'settings.lead_capture_success': 'Success message',
    'settings.ai_triggers': 'AI triggers',
    'settings.ai_triggers.frustration': 'Frustration trigger',
    'settings.ai_triggers.complex_issue': 'Complex issue trigger',
    'settings.ai_triggers.sales_opportunity': 'Sales opportunity trigger',
    'schedule.timezone': 'Time zone',
    'schedule.never_available': 'Never available',
    'schedule.weekly': 'Weekly hours',
    'schedule.overrides': 'Holidays and special dates',
  };
  const REASONS = {
    handoff_disabled: 'handoff is turned off for this bot',
    never_available: '“Never available” is on',
    schedule_closed: 'the schedule is closed',
    nobody_available: 'no agent is online with room for another chat',
    nobody_accepted: 'nobody accepted in time',
  };
  const BROWSER_TZ = (() => {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (_) {
      return '';
    }
  })();
  const MINUTE = 60000;
  const DAY_MS = 86400000;

  // ---- helpers --------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /** Builds an element. Strings among the children become text nodes (never HTML). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name === 'value') el.value = value;
      else if (name === 'checked') el.checked = Boolean(value);
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return el;
  }

  /** An id-safe version of a field path: `schedule.weekly.monday.slots[1]` → `schedule-weekly-monday-slots-1-`. */
  const pathId = (path) => String(path).replace(/[^A-Za-z0-9_-]/g, '-');

  /**
   * A "Translations" disclosure for one text: a text area per language, each showing the text as
   * written as its placeholder. A visitor in a language filled in here reads that instead; an
   * empty one means the text as written. `fieldPath(lang)` names each area for the server's errors.
   */
  function translationsBlock(idPrefix, label, max, fieldPath) {
    const inputs = new Map();
    const fields = TEXT_LANGS.map(([lang, name]) => {
      const id = idPrefix + '-tr-' + lang;
      const path = fieldPath(lang);
      const area = h('textarea', {
        id,
        rows: '2',
        maxlength: String(max),
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
  function showBaseAsPlaceholder(block, base) {
    for (const area of block.inputs.values()) area.placeholder = base;
  }

  /** Fills a block from `texts` ({lang: text}); opens it when any is filled in. */
  function fillTranslations(block, texts) {
    let any = false;
    for (const [lang, area] of block.inputs) {
      area.value = (texts && texts[lang]) || '';
      if (area.value) any = true;
    }
    if (any) block.details.open = true;
  }

  /** The path one level up: `a.b[1].c` → `a.b[1]` → `a.b` → `a` → ''. */
  function parentPath(path) {
    const m = /^(.*?)(\.[^.[\]]+|\[\d+\])$/.exec(path);
    return m ? m[1] : '';
  }

  const charCount = (text) => Array.from(text).length;
  const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : text);

  function announce(text) {
    const el = $('announcer');
    el.textContent = '';
    setTimeout(() => {
      el.textContent = text;
    }, 30);
  }

  /** Parses the server's RFC 3339 timestamps (which may carry nanoseconds). */
  function parseTime(value) {
    if (!value) return null;
    const t = Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(t) ? null : t;
  }

  class ApiError extends Error {
    constructor(message, fields) {
      super(message);
      Object.assign(this, fields);
    }
  }

  // ---- state ----------------------------------------------------------------------------------

  const S = {
    agent: null,
    csrf: null,
    bots: [],
    botId: null,
    botName: '',
    timezones: [],
    tzByLower: new Map(),
    /** The form's current contents (see fromServer). */
    model: null,
    /** JSON of the request body of what is saved on the server: the baseline for "unsaved". */
    saved: null,
    /** The last response of GET/PUT handoff, for "Discard changes". */
    savedData: null,
    /** Problems to show: [{field, message}]. */
    errors: [],
    errorNote: '',
    saving: false,
    justSaved: false,
    uid: 0,
    serverAvail: null,
    serverAvailError: '',
    copySource: null,
    onDiscard: null,
    previewTimer: null,
    tick: null,
    tzMatches: [],
    tzActive: -1,
    tzNotice: '',
  };

  // ---- HTTP -----------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && S.csrf) headers['X-CSRF-Token'] = S.csrf;
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (_) {
      throw new ApiError('The server cannot be reached. Check your connection and try again.', { network: true });
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (_) {
        data = null;
      }
    }
    if (!res.ok) {
      const error = (data && data.error) || {};
      const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      const err = new ApiError(error.message || 'HTTP ' + res.status, {
        status: res.status,
        code: error.code,
        field: error.field,
        errors: Array.isArray(error.errors) ? error.errors : null,
        retryAfter: Number.isFinite(retry) ? retry : null,
      });
      if (res.status === 401 && S.agent && path !== '/auth/login') sessionExpired();
      else if (res.status === 403 && S.agent && path !== '/auth/login') showDenied();
      throw err;
    }
    return data;
  }

  function describe(err) {
    if (err.network) return err.message;
    if (err.status === 429) {
      return err.retryAfter ? 'Too many requests; try again in ' + err.retryAfter + ' s.' : 'Too many requests; wait a moment.';
    }
    return capitalize(err.message || 'Something went wrong.');
  }

  // ---- views: loading, login, admins only, the editor ----------------------------------------

  function showOnly(id) {
    for (const view of ['loading', 'login-view', 'denied-view', 'app-view']) $(view).hidden = view !== id;
  }

  function showLogin(message) {
    showOnly('login-view');
    $('login-error').textContent = message || '';
    $('login-email').focus();
  }

  function showDenied() {
    showOnly('denied-view');
    $('denied-text').textContent =
      'The Agent Editor is for admins of your workspace' +
      (S.agent ? ' — you are signed in as ' + S.agent.display_name + ' (' + S.agent.email + '), an agent' : '') +
      '. Ask an admin to change the handoff settings, or to make you an admin.';
  }

  async function login(ev) {
    ev.preventDefault();
    const email = $('login-email').value.trim();
    const password = $('login-password').value;
    const error = $('login-error');
    if (!email || !password) {
      error.textContent = 'Enter your email and password.';
      $(email ? 'login-password' : 'login-email').focus();
      return;
    }
    $('login-submit').disabled = true;
    error.textContent = '';
    try {
      const res = await api('POST', '/auth/login', { email, password });
      $('login-password').value = '';
      await enter(res.agent, res.csrf_token);
    } catch (err) {
      if (err.status === 401) error.textContent = 'Wrong email or password.';
      else if (err.status === 429) {
        const minutes = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
        error.textContent = 'Too many failed attempts. ' + (minutes ? 'Try again in ' + minutes + ' min.' : 'Try again later.');
      } else error.textContent = describe(err);
      // The disabled button lost focus: bring it back to the form (the error is announced).
      $('login-submit').disabled = false;
      $('login-email').focus();
    } finally {
      $('login-submit').disabled = false;
    }
  }

  function sessionExpired() {
    S.csrf = null;
    const keep = S.model && isDirty();
    showLogin('Your session has ended. Sign in again' + (keep ? '; your unsaved changes are kept.' : '.'));
  }

  async function logout() {
    try {
      await api('POST', '/auth/logout');
    } catch (_) {
      /* the cookie is gone or the server is down: either way, leave */
    }
    resetEditor();
    S.agent = null;
    S.csrf = null;
    showLogin('You are logged out.');
  }

  function confirmDiscard(text, then) {
    if (!S.model || !isDirty()) {
      then();
      return;
    }
    S.onDiscard = then;
    $('switch-text').textContent = text;
    $('switch-dialog').showModal();
  }

  function resetEditor() {
    S.model = null;
    S.saved = null;
    S.savedData = null;
    S.errors = [];
    S.errorNote = '';
    S.serverAvail = null;
    S.botId = null;
    $('editor').dataset.loaded = 'false';
    stopTick();
    resetKnowledge();
  }

  async function enter(agent, csrf) {
    const sameAgent = S.agent && S.agent.id === agent.id;
    S.agent = agent;
    S.csrf = csrf;
    if (agent.role !== 'admin') {
      resetEditor();
      showDenied();
      return;
    }
    $('agent-name').textContent = agent.display_name;
    showOnly('app-view');
    if (sameAgent && S.model) {
      // Signed in again after the session ended: the edits are still here.
      refreshAvailability();
      startTick();
      return;
    }
    resetEditor();
    await loadBots();
  }

  async function start() {
    try {
      const me = await api('GET', '/me');
      await enter(me.agent, me.csrf_token);
    } catch (err) {
      if (err.status === 401) showLogin('');
      else showLogin(describe(err));
    }
  }

  // ---- loading bots and settings --------------------------------------------------------------

  function showLoadError(text) {
    const el = $('load-error');
    el.textContent = text || '';
    el.hidden = !text;
  }

  async function loadBots() {
    showLoadError('');
    let bots;
    try {
      bots = (await api('GET', '/bots')).bots || [];
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) showLoadError('Could not load the bots: ' + describe(err));
      return;
    }
    S.bots = bots;
    const picker = $('bot-picker');
    picker.replaceChildren(...bots.map((b) => h('option', { value: b.id, text: b.name })));
    picker.hidden = bots.length < 2;
    $('bot-name').hidden = bots.length !== 1;
    $('bot-name').textContent = bots.length === 1 ? bots[0].name : '';
    if (!bots.length) {
      showLoadError('This workspace has no bot yet, so there is nothing to edit.');
      return;
    }
    const wanted = new URLSearchParams(location.search).get('bot');
    const bot = bots.find((b) => b.id === wanted) || bots[0];
    await loadTimezones();
    await loadBot(bot.id);
  }

  async function loadTimezones() {
    if (S.timezones.length) return;
    let names = [];
    try {
      names = (await api('GET', '/timezones')).timezones || [];
    } catch (_) {
      try {
        names = Intl.supportedValuesOf('timeZone');
      } catch (__) {
        names = [];
      }
    }
    S.timezones = names;
    S.tzByLower = new Map(names.map((n) => [n.toLowerCase(), n]));
    if (S.model) renderTimezoneField();
  }

  async function loadBot(id) {
    showLoadError('');
    $('editor').dataset.loaded = 'false';
    let data;
    try {
      data = await api('GET', '/bots/' + encodeURIComponent(id) + '/handoff');
    } catch (err) {
      if (err.status !== 401 && err.status !== 403) showLoadError('Could not load this bot’s handoff settings: ' + describe(err));
      return;
    }
    S.botId = id;
    S.botName = (data.bot && data.bot.name) || '';
    $('bot-picker').value = id;
    $('title-bot-name').textContent = S.botName;
    document.title = 'Agent Editor — ' + S.botName + ' — Baton';
    const url = new URL(location.href);
    if (url.searchParams.get('bot') !== id) {
      url.searchParams.set('bot', id);
      history.replaceState(null, '', url);
    }
    useSaved(data);
    $('kn-bot-name').textContent = S.botName;
    renderBotTool();
    if (K.botId !== id) loadKnowledge(id);
    // A schedule nobody has touched yet (UTC, open all week): show it in the admin's own zone.
    S.tzNotice = '';
    const sched = data.schedule;
    if (isUntouchedDefault(sched) && BROWSER_TZ && BROWSER_TZ !== 'UTC' && knownZone(BROWSER_TZ)) {
      S.model.schedule.timezone = knownZone(BROWSER_TZ);
      S.tzNotice =
        'This bot still has the default schedule in UTC. The time zone is set to your browser’s, ' +
        S.model.schedule.timezone + '; save to keep it.';
    }
    S.serverAvail = null;
    renderAll();
    $('editor').dataset.loaded = 'true';
    refreshAvailability();
    startTick();
  }

  /** The server's answer becomes the form and the saved baseline. */
  function useSaved(data) {
    S.savedData = data;
    S.model = fromServer(data);
    S.saved = JSON.stringify(toBody(fromServer(data)));
    S.errors = [];
    S.errorNote = '';
  }

  function isUntouchedDefault(sched) {
    if (!sched || sched.timezone !== 'UTC' || sched.never_available) return false;
    if ((sched.overrides || []).length) return false;
    const weekly = sched.weekly || {};
    return DAYS.every((d) => {
      const day = weekly[d];
      return (
        day &&
        day.enabled !== false &&
        Array.isArray(day.slots) &&
        day.slots.length === 1 &&
        day.slots[0].start === '00:00' &&
        day.slots[0].end === '24:00'
      );
    });
  }

  function knownZone(name) {
    if (!name) return null;
    if (S.tzByLower.size) return S.tzByLower.get(name.toLowerCase()) || null;
    return zoneWorks(name) ? name : null;
  }

  // ---- the model ------------------------------------------------------------------------------

  function fromServer(data) {
    const s = data.settings || {};
    const sched = data.schedule || {};
    const triggers = s.ai_triggers || {};
    const weekly = {};
    for (const d of DAYS) {
      const day = (sched.weekly || {})[d];
      weekly[d] = day
        ? { enabled: day.enabled !== false, slots: (day.slots || []).map((x) => ({ start: x.start, end: x.end })) }
        : { enabled: false, slots: [] };
    }
    const overrides = (sched.overrides || [])
      .map((o) => ({
        uid: ++S.uid,
        date: o.date,
        closed: !(o.slots || []).length,
        slots: (o.slots || []).map((x) => ({ start: x.start, end: x.end })),
      }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    return {
      settings: {
        enabled: Boolean(s.enabled),
        instruction: s.instruction || '',
        offline_message: s.offline_message || '',
        accept_timeout_seconds: String(s.accept_timeout_seconds ?? ''),
        ai_helps_while_waiting: Boolean(s.ai_helps_while_waiting),
        lead_capture_enabled: Boolean(s.lead_capture_enabled),
        freshchat_enabled: Boolean(s.freshchat_enabled),
        lead_capture_prompt: s.lead_capture_prompt || '',
        lead_capture_success: s.lead_capture_success || '',
        // By text, then language: {offline_message: {de: '…'}}.
        translations: Object.fromEntries(
          TRANSLATED.map((f) => [
            f.key,
            Object.fromEntries(TEXT_LANGS.map(([lang]) => [lang, ((s.translations || {})[lang] || {})[f.key] || ''])),
          ]),
        ),
        ai_triggers: {
          frustration: triggers.frustration || 'medium',
          complex_issue: triggers.complex_issue || 'medium',
          sales_opportunity: triggers.sales_opportunity || 'medium',
        },
      },
      schedule: {
        timezone: sched.timezone || 'UTC',
        never_available: Boolean(sched.never_available),
        weekly,
        overrides,
      },
    };
  }

  /** The model's translations as the server takes them ({lang: {text: …}}), empty ones left out. */
  function translationsBody(byText) {
    const body = {};
    for (const [key, byLang] of Object.entries(byText || {})) {
      for (const [lang, text] of Object.entries(byLang)) {
        if (!text.trim()) continue;
        (body[lang] = body[lang] || {})[key] = text.trim();
      }
    }
    return body;
  }

  /** The PUT body for the model (also the basis of "unsaved changes"). */
  function toBody(model) {
    const s = model.settings;
    const timeout = s.accept_timeout_seconds.trim();
    const weekly = {};
    for (const d of DAYS) {
      weekly[d] = {
        enabled: model.schedule.weekly[d].enabled,
        slots: model.schedule.weekly[d].slots.map((x) => ({ start: x.start, end: x.end })),
      };
    }
    return {
      settings: {
        enabled: s.enabled,
        instruction: s.instruction,
        offline_message: s.offline_message,
        accept_timeout_seconds: /^\d{1,9}$/.test(timeout) ? Number(timeout) : timeout,
        ai_helps_while_waiting: s.ai_helps_while_waiting,
        lead_capture_enabled: s.lead_capture_enabled,
        freshchat_enabled: s.freshchat_enabled,
        lead_capture_prompt: s.lead_capture_prompt,
        lead_capture_success: s.lead_capture_success,
        translations: translationsBody(s.translations),
        ai_triggers: {
          frustration: s.ai_triggers.frustration,
          complex_issue: s.ai_triggers.complex_issue,
          sales_opportunity: s.ai_triggers.sales_opportunity,
        },
      },
      schedule: {
        timezone: model.schedule.timezone,
        never_available: model.schedule.never_available,
        weekly,
        overrides: model.schedule.overrides.map((o) => ({
          date: o.date,
          slots: o.closed ? [] : o.slots.map((x) => ({ start: x.start, end: x.end })),
        })),
      },
    };
  }

  const isDirty = () => Boolean(S.model) && JSON.stringify(toBody(S.model)) !== S.saved;

  // ---- times ----------------------------------------------------------------------------------

  /** `HH:MM` → minutes after midnight, or null. 24:00 only as an end. The server's grammar. */
  function parseHHMM(text, isEnd) {
    const m = /^(\d\d):(\d\d)$/.exec(text);
    if (!m) return null;
    const hour = Number(m[1]);
    const minute = Number(m[2]);
    if (hour <= 23 && minute <= 59) return hour * 60 + minute;
    if (isEnd && hour === 24 && minute === 0) return 1440;
    return null;
  }

  const fmtHHMM = (minutes) => String(Math.floor(minutes / 60)).padStart(2, '0') + ':' + String(minutes % 60).padStart(2, '0');

  /** Friendly input: "9" → "09:00", "930" / "9.30" / "9h30" → "09:30". Anything else is left alone. */
  function normalizeTime(text) {
    const t = text.trim();
    let m = /^(\d{1,2})$/.exec(t);
    if (m && Number(m[1]) <= 24) return m[1].padStart(2, '0') + ':00';
    m = /^(\d{1,2})[:.hH]?(\d{2})$/.exec(t);
    if (m && Number(m[1]) <= 24) return m[1].padStart(2, '0') + ':' + m[2];
    return t;
  }

  function slotNote(slot) {
    const start = parseHHMM(slot.start, false);
    const end = parseHHMM(slot.end, true);
    if (start === null || end === null) {
      const bad = start === null ? slot.start : slot.end;
      return { text: bad === '' ? 'enter HH:MM' : 'use HH:MM, e.g. 09:30', kind: 'warn' };
    }
    if (start === end) return { text: 'empty: start and end are equal', kind: 'warn' };
    if (end === 1440) return { text: 'until midnight · ' + duration(1440 - start), kind: '' };
    if (end < start || end === 0) return { text: 'ends next day at ' + fmtHHMM(end) + ' · ' + duration(1440 - start + end), kind: 'overnight' };
    return { text: duration(end - start), kind: '' };
  }

  function duration(minutes) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (!hours) return rest + ' min';
    return hours + ' h' + (rest ? ' ' + rest + ' min' : '');
  }

  function slotsSummary(slots) {
    return slots.map((x) => (x.start || '?') + '–' + (x.end || '?')).join(', ');
  }

  // ---- the schedule engine, in the browser (for the preview of unsaved edits) -----------------
  //
  // The same rule as the server's (crates/baton-domain/src/schedule): a slot covers the instants
  // whose local wall-clock time in the zone lies in [start, end) on the date it starts on, running
  // into the next date when end <= start; an override replaces the slots that start on its date.
  // Evaluated on the wall clock, a time skipped by a DST gap is never open, a slot starting inside
  // a gap opens at the first instant after it, and a repeated hour is open both times. The zone's
  // offsets come from the browser's own tz data (Intl), which can lag the server's bundled
  // database.

  const formatterCache = new Map();

  function partsFormatter(tz) {
    let f = formatterCache.get(tz);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      formatterCache.set(tz, f);
    }
    return f;
  }

  function zoneWorks(tz) {
    try {
      partsFormatter(tz);
      return true;
    } catch (_) {
      return false;
    }
  }

  /** The zone's UTC offset in ms at instant t. */
  function offsetAt(tz, t) {
    const whole = Math.floor(t / 1000) * 1000;
    const p = {};
    for (const part of partsFormatter(tz).formatToParts(new Date(whole))) p[part.type] = part.value;
    const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
    return local - whole;
  }

  function offsetLabel(ms) {
    const minutes = Math.round(ms / MINUTE);
    const sign = minutes < 0 ? '−' : '+';
    const abs = Math.abs(minutes);
    return 'UTC' + sign + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0');
  }

  /** Compiles the model's schedule for the preview, or explains why it cannot. */
  function compileSchedule(sched) {
    const tz = sched.timezone;
    if (!tz || !zoneWorks(tz)) return { problem: tz ? 'unknown time zone “' + tz + '”' : 'no time zone chosen' };
    const compileList = (slots, where) => {
      const out = [];
      for (let i = 0; i < slots.length; i++) {
        const start = parseHHMM(slots[i].start, false);
        const end = parseHHMM(slots[i].end, true);
        if (start === null || end === null) return { problem: where + ', slot ' + (i + 1) + ' is not HH:MM–HH:MM' };
        if (start === end) return { problem: where + ', slot ' + (i + 1) + ' is empty (start = end)' };
        out.push({ start, end });
      }
      return { slots: out };
    };
    const weekly = [];
    for (const d of DAYS) {
      const day = sched.weekly[d];
      if (!day.enabled) {
        weekly.push([]);
        continue;
      }
      const r = compileList(day.slots, DAY_LABEL[d]);
      if (r.problem) return r;
      weekly.push(r.slots);
    }
    const overrides = new Map();
    for (const o of sched.overrides) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date) || Number.isNaN(Date.parse(o.date + 'T00:00:00Z'))) {
        return { problem: o.date ? 'the date “' + o.date + '” is not valid' : 'a special date has no date yet' };
      }
      const r = o.closed ? { slots: [] } : compileList(o.slots, o.date);
      if (r.problem) return r;
      overrides.set(o.date, r.slots);
    }
    const bounds = new Set([0]);
    for (const list of [...weekly, ...overrides.values()]) {
      for (const x of list) {
        bounds.add(x.start);
        bounds.add(x.end % 1440);
      }
    }
    return { tz, never: sched.never_available, weekly, overrides, bounds: [...bounds].sort((a, b) => a - b) };
  }

  function slotsStartingOn(c, dayNumber) {
    const date = new Date(dayNumber * DAY_MS);
    const key = date.toISOString().slice(0, 10);
    if (c.overrides.has(key)) return c.overrides.get(key);
    return c.weekly[(date.getUTCDay() + 6) % 7];
  }

  /** Whether the schedule is open at a local wall-clock time (ms since the epoch, as if UTC). */
  function openAtLocal(c, local) {
    const dayNumber = Math.floor(local / DAY_MS);
    const m = (local - dayNumber * DAY_MS) / MINUTE;
    for (const x of slotsStartingOn(c, dayNumber)) {
      if (x.end > x.start ? m >= x.start && m < x.end : m >= x.start) return true;
    }
    for (const x of slotsStartingOn(c, dayNumber - 1)) {
      if (x.end <= x.start && m < x.end) return true;
    }
    return false;
  }

  function isOpenAt(c, t) {
    return !c.never && openAtLocal(c, t + offsetAt(c.tz, t));
  }

  /**
   * The first instant after t0 at which "open" flips, looking at most 366 days ahead, or null.
   * Walks the window in 6-hour pieces; within a piece the offset is constant except at a
   * transition, found to the second. Open can only flip at a slot boundary on the wall clock or
   * at a transition, so only those instants are checked.
   */
  function nextChange(c, t0) {
    if (c.never) return null;
    const open = isOpenAt(c, t0);
    const limit = t0 + 366 * DAY_MS;
    const STEP = 6 * 3600 * 1000;
    let a = t0;
    let offA = offsetAt(c.tz, a);
    while (a < limit) {
      const b = Math.min(a + STEP, limit);
      const offB = offsetAt(c.tz, b);
      const pieces = [];
      if (offA === offB) pieces.push({ from: a, to: b, off: offA, transition: false });
      else {
        let lo = a;
        let hi = b;
        while (hi - lo > 1000) {
          const mid = Math.floor((lo + hi) / 2000) * 1000;
          if (mid <= lo) break;
          if (offsetAt(c.tz, mid) === offA) lo = mid;
          else hi = mid;
        }
        pieces.push({ from: a, to: hi, off: offA, transition: false });
        pieces.push({ from: hi, to: b, off: offsetAt(c.tz, hi), transition: true });
      }
      for (const piece of pieces) {
        const candidates = [];
        if (piece.transition && piece.from > t0) candidates.push(piece.from);
        const firstDay = Math.floor((piece.from + piece.off) / DAY_MS);
        const lastDay = Math.floor((piece.to + piece.off) / DAY_MS);
        for (let d = firstDay; d <= lastDay; d++) {
          for (const bound of c.bounds) {
            const instant = d * DAY_MS + bound * MINUTE - piece.off;
            if (instant > t0 && instant >= piece.from && instant < piece.to) candidates.push(instant);
          }
        }
        candidates.sort((x, y) => x - y);
        for (const instant of candidates) {
          if (openAtLocal(c, instant + piece.off) !== open) return instant;
        }
      }
      a = b;
      offA = offB;
    }
    return null;
  }

  // The engine, for the end-to-end test that checks it against the server's (`baton schedule check`).
  window.batonEditorSchedule = Object.freeze({
    check(doc, at) {
      const c = compileSchedule({
        timezone: doc.timezone,
        never_available: Boolean(doc.never_available),
        weekly: Object.fromEntries(
          DAYS.map((d) => {
            const day = (doc.weekly || {})[d];
            return [d, day ? { enabled: day.enabled !== false, slots: day.slots || [] } : { enabled: false, slots: [] }];
          }),
        ),
        overrides: (doc.overrides || []).map((o) => ({ date: o.date, closed: !(o.slots || []).length, slots: o.slots || [] })),
      });
      if (c.problem) return { problem: c.problem };
      const t = Date.parse(at);
      const next = nextChange(c, t);
      return { open: isOpenAt(c, t), next_change: next === null ? null : new Date(next).toISOString().replace(/\.000Z$/, 'Z') };
    },
  });

  // ---- formatting instants -------------------------------------------------------------------

  function fmtInstant(t, tz) {
    const opts = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (Math.abs(t - Date.now()) > 300 * DAY_MS) opts.year = 'numeric';
    try {
      return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: tz }).format(new Date(t));
    } catch (_) {
      return new Date(t).toISOString();
    }
  }

  function fromNow(t) {
    const minutes = Math.round((t - Date.now()) / MINUTE);
    if (minutes < 1) return 'in less than a minute';
    if (minutes < 60) return 'in ' + minutes + ' min';
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return 'in ' + hours + ' h' + (minutes % 60 ? ' ' + (minutes % 60) + ' min' : '');
    return 'in ' + Math.round(minutes / 1440) + ' days';
  }

  // ---- rendering ------------------------------------------------------------------------------

  function renderAll() {
    renderSettings();
    renderTimezoneField();
    $('never-available').checked = S.model.schedule.never_available;
    updateNeverState();
    renderDays();
    renderOverrides();
    applyErrors();
    updateDirty();
    renderPreview();
    renderServerAvailability();
  }

  function renderSettings() {
    const s = S.model.settings;
    for (const f of TEXT_FIELDS) {
      $(f.id).value = s[f.key];
      updateCounter(f);
    }
    for (const f of TRANSLATED) {
      fillTranslations(S.translationBlocks[f.key], s.translations[f.key]);
      showBaseAsPlaceholder(S.translationBlocks[f.key], s[f.key]);
    }
    for (const f of CHECKS) $(f.id).checked = s[f.key];
    for (const f of TRIGGERS) $(f.id).value = s.ai_triggers[f.key];
    $('accept-timeout').value = s.accept_timeout_seconds;
    updateTimeoutHelp();
    updateLeadState();
  }

  function updateCounter(f) {
    const n = charCount($(f.id).value);
    const el = $(f.id + '-count');
    el.textContent = n + ' / ' + f.max;
    el.classList.toggle('over', n > f.max);
  }

  function updateTimeoutHelp() {
    const raw = S.model.settings.accept_timeout_seconds.trim();
    const n = Number(raw);
    let text = 'How long a waiting visitor waits for an agent to accept before getting the offline path (10 to 3600).';
    if (/^\d+$/.test(raw) && n >= MIN_TIMEOUT && n <= MAX_TIMEOUT) {
      const human = n < 60 ? n + ' s' : duration(Math.floor(n / 60)) + (n % 60 ? ' ' + (n % 60) + ' s' : '');
      text = 'Visitors wait up to ' + human + ' for an agent to accept, then get the offline path (10 to 3600 seconds).';
    }
    $('accept-timeout-help').textContent = text;
  }

  function updateLeadState() {
    const on = S.model.settings.lead_capture_enabled;
    for (const id of ['lead-prompt', 'lead-success']) $(id).closest('.field').classList.toggle('dimmed', !on);
  }

  // -- time zone picker

  function renderTimezoneField() {
    const input = $('tz-input');
    if (document.activeElement !== input) input.value = S.model.schedule.timezone;
    const browserButton = $('tz-use-browser');
    const browserZone = knownZone(BROWSER_TZ);
    browserButton.hidden = !browserZone || browserZone === S.model.schedule.timezone;
    browserButton.textContent = 'Use my browser’s time zone (' + (browserZone || BROWSER_TZ) + ')';
    $('tz-notice').textContent = S.tzNotice;
    $('tz-notice').hidden = !S.tzNotice;
    renderTzNow();
  }

  function renderTzNow() {
    const tz = S.model.schedule.timezone;
    const el = $('tz-now');
    if (!zoneWorks(tz)) {
      el.textContent = tz ? 'Unknown time zone “' + tz + '”: choose one from the list.' : 'Choose a time zone.';
      el.classList.add('warn');
      return;
    }
    el.classList.remove('warn');
    const now = Date.now();
    let text = 'Now in ' + tz + ': ' + fmtInstant(now, tz) + ' (' + offsetLabel(offsetAt(tz, now)) + ')';
    if (BROWSER_TZ && BROWSER_TZ !== tz) text += ' · your time (' + BROWSER_TZ + '): ' + fmtInstant(now, BROWSER_TZ);
    else text += ' · the same as your local time';
    el.textContent = text;
  }

  function tzFilter(query) {
    const q = query.trim().toLowerCase().replace(/\s+/g, '_');
    if (!q) return S.timezones.slice();
    const scored = [];
    for (const name of S.timezones) {
      const lower = name.toLowerCase();
      const loose = lower.replace(/[_/-]/g, ' ');
      let score = -1;
      if (lower === q) score = 0;
      else if (lower.split('/').pop().startsWith(q)) score = 1;
      else if (lower.split(/[/_-]/).some((part) => part.startsWith(q))) score = 2;
      else if (lower.includes(q) || loose.includes(q.replace(/_/g, ' '))) score = 3;
      if (score >= 0) scored.push([score, name]);
    }
    scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
    return scored.map((x) => x[1]);
  }

  const TZ_SHOWN = 60;

  function openTzList(query, browsing) {
    const list = $('tz-list');
    const input = $('tz-input');
    const matches = tzFilter(query);
    S.tzMatches = matches.slice(0, TZ_SHOWN);
    S.tzActive = S.tzMatches.length && !browsing ? 0 : -1;
    const now = Date.now();
    const items = S.tzMatches.map((name, i) => {
      let offset = '';
      try {
        offset = offsetLabel(offsetAt(name, now));
      } catch (_) {
        offset = '';
      }
      return h(
        'li',
        {
          id: 'tz-opt-' + i,
          role: 'option',
          'data-value': name,
          'aria-selected': i === S.tzActive ? 'true' : 'false',
          onmousedown: (ev) => ev.preventDefault(),
          onclick: () => chooseTz(name),
        },
        h('span', { class: 'tz-name', text: name }),
        offset ? h('span', { class: 'tz-offset', text: offset }) : null,
      );
    });
    if (!items.length) items.push(h('li', { class: 'tz-empty', role: 'option', 'aria-disabled': 'true', text: 'No time zone matches “' + query.trim() + '”' }));
    else if (matches.length > TZ_SHOWN) {
      items.push(h('li', { class: 'tz-more', role: 'option', 'aria-disabled': 'true', text: matches.length - TZ_SHOWN + ' more: keep typing to narrow the list' }));
    }
    list.replaceChildren(...items);
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setTzActive(S.tzActive);
  }

  function closeTzList() {
    $('tz-list').hidden = true;
    $('tz-input').setAttribute('aria-expanded', 'false');
    $('tz-input').removeAttribute('aria-activedescendant');
    S.tzActive = -1;
  }

  function setTzActive(i) {
    S.tzActive = i;
    const input = $('tz-input');
    for (const li of $('tz-list').querySelectorAll('li[data-value]')) li.setAttribute('aria-selected', 'false');
    const li = i >= 0 ? $('tz-opt-' + i) : null;
    if (li) {
      li.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  function chooseTz(name) {
    $('tz-input').value = name;
    closeTzList();
    setTimezone(name);
    announce('Time zone: ' + name);
  }

  function setTimezone(name) {
    S.model.schedule.timezone = name;
    S.tzNotice = '';
    clearErrors('schedule.timezone');
    renderTimezoneField();
    changed();
  }

  function onTzInput() {
    const value = $('tz-input').value;
    S.model.schedule.timezone = value.trim();
    S.tzNotice = '';
    $('tz-notice').hidden = true;
    clearErrors('schedule.timezone');
    openTzList(value);
    renderTzNow();
    changed();
  }

  function onTzKey(ev) {
    const list = $('tz-list');
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) {
        openTzList('', true);
        return;
      }
      if (!S.tzMatches.length) return;
      const next = ev.key === 'ArrowDown' ? Math.min(S.tzActive + 1, S.tzMatches.length - 1) : Math.max(S.tzActive - 1, 0);
      setTzActive(next);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (!list.hidden && S.tzActive >= 0 && S.tzMatches[S.tzActive]) chooseTz(S.tzMatches[S.tzActive]);
      else {
        const canonical = knownZone($('tz-input').value.trim());
        if (canonical) chooseTz(canonical);
      }
    } else if (ev.key === 'Escape') {
      if (!list.hidden) {
        ev.preventDefault();
        closeTzList();
      }
    }
  }

  function onTzBlur() {
    closeTzList();
    const value = $('tz-input').value.trim();
    const canonical = knownZone(value);
    if (canonical && canonical !== S.model.schedule.timezone) setTimezone(canonical);
    if (canonical) $('tz-input').value = canonical;
  }

  // -- weekly days

  function renderDays() {
    $('days').replaceChildren(...DAYS.map(dayElement));
  }

  function dayElement(day) {
    const model = S.model.schedule.weekly[day];
    const path = 'schedule.weekly.' + day;
    const label = DAY_LABEL[day];
    const status = !model.enabled ? 'Closed' : model.slots.length ? slotsSummary(model.slots) : 'Closed (no slots)';
    const slots = h(
      'div',
      { class: 'slots', 'data-field': path + '.slots', 'data-errhost': '' },
      model.slots.map((slot, i) => slotRow(model.slots, i, path, day, label, () => renderDay(day))),
      !model.enabled && model.slots.length
        ? h('p', { class: 'help', text: 'Closed on ' + label + 's. The slots are kept for when you open the day again.' })
        : null,
      model.enabled && !model.slots.length ? h('p', { class: 'help', text: 'No slots: closed all day.' }) : null,
      h('p', { class: 'field-error', id: 'err-' + pathId(path + '.slots') }),
    );
    return h(
      'div',
      { class: 'day' + (model.enabled ? '' : ' off'), 'data-day': day, 'data-field': path, 'data-errhost': '' },
      h(
        'div',
        { class: 'day-head' },
        h(
          'span',
          { class: 'day-toggle', 'data-field': path + '.enabled' },
          h('input', {
            type: 'checkbox',
            id: 'day-' + day + '-enabled',
            checked: model.enabled,
            'aria-describedby': 'day-' + day + '-status',
            onchange: (ev) => {
              model.enabled = ev.target.checked;
              if (model.enabled && !model.slots.length) model.slots.push({ start: '09:00', end: '17:00' });
              clearErrors(path + '.enabled');
              renderDay(day);
              changed();
              announce(label + (model.enabled ? ' open' : ' closed'));
            },
          }),
          h('label', { for: 'day-' + day + '-enabled', class: 'day-name', text: label }),
        ),
        h('span', { class: 'day-status', id: 'day-' + day + '-status', text: status }),
        // The spoken name starts with the visible words (label in name); the day follows.
        h(
          'button',
          { type: 'button', class: 'linkish copy-button', id: day + '-copy', onclick: () => openCopy(day) },
          'Copy to other days…',
          h('span', { class: 'sr-only', text: ' (' + label + '’s hours)' }),
        ),
      ),
      slots,
      h('button', {
        type: 'button',
        class: 'add-slot',
        id: day + '-add-slot',
        text: '+ Add slot',
        'aria-label': 'Add slot on ' + label,
        disabled: model.slots.length >= MAX_SLOTS,
        title: model.slots.length >= MAX_SLOTS ? 'At most ' + MAX_SLOTS + ' slots a day' : null,
        onclick: () => {
          addSlot(model.slots);
          if (!model.enabled) model.enabled = true;
          clearErrors(path + '.slots');
          renderDay(day);
          changed();
          focusLast(day + '-slot-' + (model.slots.length - 1) + '-start');
        },
      }),
      h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
    );
  }

  function renderDay(day) {
    const old = document.querySelector('.day[data-day="' + day + '"]');
    const fresh = dayElement(day);
    if (old) old.replaceWith(fresh);
    else renderDays();
    applyErrors();
  }

  function focusLast(id) {
    const el = $(id);
    if (el) {
      el.focus();
      el.select();
    }
  }

  function addSlot(slots) {
    if (slots.length >= MAX_SLOTS) return;
    if (!slots.length) {
      slots.push({ start: '09:00', end: '17:00' });
      return;
    }
    const lastEnd = parseHHMM(slots[slots.length - 1].end, true);
    if (lastEnd !== null && lastEnd > parseHHMM(slots[slots.length - 1].start, false) && lastEnd <= 1320) {
      const start = lastEnd + 60;
      slots.push({ start: fmtHHMM(start), end: fmtHHMM(Math.min(start + 120, 1440)) });
    } else slots.push({ start: '', end: '' });
  }

  /**
   * One slot row: start and end inputs, what the slot means ("ends next day"), remove.
   * `idBase` makes the element ids (`monday-slot-0-start`, `override-2-slot-1-end`).
   */
  function slotRow(slots, i, listOwnerPath, idBase, ownerLabel, rerender) {
    const slot = slots[i];
    const path = listOwnerPath + '.slots[' + i + ']';
    const id = idBase + '-slot-' + i;
    const note = slotNote(slot);
    const noteEl = h('span', { class: 'slot-note ' + note.kind, id: id + '-note', text: note.text });
    const what = ownerLabel + ', slot ' + (i + 1);
    const timeInput = (which) =>
      h('input', {
        type: 'text',
        class: 'time',
        id: id + '-' + which,
        value: slot[which],
        inputmode: 'numeric',
        autocomplete: 'off',
        spellcheck: 'false',
        maxlength: '5',
        placeholder: 'HH:MM',
        'data-field': path + '.' + which,
        'aria-describedby': id + '-note err-' + pathId(path),
        oninput: (ev) => {
          slot[which] = ev.target.value.trim();
          clearErrors(path + '.' + which);
          const n = slotNote(slot);
          noteEl.textContent = n.text;
          noteEl.className = 'slot-note ' + n.kind;
          changed();
        },
        onchange: (ev) => {
          const normal = normalizeTime(ev.target.value);
          if (normal !== ev.target.value) {
            ev.target.value = normal;
            slot[which] = normal;
            const n = slotNote(slot);
            noteEl.textContent = n.text;
            noteEl.className = 'slot-note ' + n.kind;
            changed();
          }
          refreshSummaries();
        },
      });
    return h(
      'div',
      { class: 'slot', 'data-field': path, 'data-errhost': '', role: 'group', 'aria-label': what },
      h('label', { for: id + '-start', class: 'sr-only', text: what + ' start' }),
      timeInput('start'),
      h('span', { class: 'dash', 'aria-hidden': 'true', text: '–' }),
      h('label', { for: id + '-end', class: 'sr-only', text: what + ' end' }),
      timeInput('end'),
      noteEl,
      h('button', {
        type: 'button',
        class: 'slot-remove linkish',
        id: id + '-remove',
        text: 'Remove',
        'aria-label': 'Remove ' + what,
        onclick: () => {
          slots.splice(i, 1);
          clearErrors(listOwnerPath + '.slots');
          rerender();
          changed();
          announce(what + ' removed');
        },
      }),
      h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
    );
  }

  /** Day status lines and override weekday labels, after an edit that does not re-render. */
  function refreshSummaries() {
    for (const day of DAYS) {
      const model = S.model.schedule.weekly[day];
      const el = $('day-' + day + '-status');
      if (el) el.textContent = !model.enabled ? 'Closed' : model.slots.length ? slotsSummary(model.slots) : 'Closed (no slots)';
    }
  }

  // -- copy to other days

  function openCopy(day) {
    S.copySource = day;
    const model = S.model.schedule.weekly[day];
    $('copy-title').textContent = 'Copy ' + DAY_LABEL[day] + '’s hours';
    $('copy-text').textContent =
      (model.enabled && model.slots.length ? DAY_LABEL[day] + ': ' + slotsSummary(model.slots) + '. ' : DAY_LABEL[day] + ' is closed. ') +
      'The days you choose get the same hours; their own hours are replaced.';
    $('copy-days').replaceChildren(
      ...DAYS.filter((d) => d !== day).map((d) =>
        h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'copy-to-' + d, value: d }), ' ' + DAY_LABEL[d]),
      ),
    );
    $('copy-error').textContent = '';
    $('copy-dialog').showModal();
    const first = $('copy-days').querySelector('input');
    if (first) first.focus();
  }

  function setCopyChecks(days) {
    for (const input of $('copy-days').querySelectorAll('input')) input.checked = days.includes(input.value);
  }

  function applyCopy(ev) {
    ev.preventDefault();
    const source = S.copySource;
    const targets = [...$('copy-days').querySelectorAll('input:checked')].map((i) => i.value);
    if (!targets.length) {
      $('copy-error').textContent = 'Choose at least one day.';
      return;
    }
    const from = S.model.schedule.weekly[source];
    for (const d of targets) {
      S.model.schedule.weekly[d] = { enabled: from.enabled, slots: from.slots.map((x) => ({ start: x.start, end: x.end })) };
      clearErrors('schedule.weekly.' + d);
    }
    $('copy-dialog').close();
    renderDays();
    applyErrors();
    changed();
    const names = targets.map((d) => DAY_LABEL[d]).join(', ');
    announce('Copied ' + DAY_LABEL[source] + '’s hours to ' + names + '.');
    const button = $(source + '-copy');
    if (button) button.focus();
  }

  // -- overrides

  function renderOverrides() {
    const overrides = S.model.schedule.overrides;
    const rows = overrides.map((o, i) => overrideRow(o, i));
    if (!rows.length) rows.push(h('p', { class: 'help empty', text: 'No special dates. Add holidays (closed all day) or days with different hours.' }));
    $('overrides').replaceChildren(...rows);
    $('add-override').disabled = overrides.length >= MAX_OVERRIDES;
    applyErrors();
  }

  function weekdayOf(date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
    const t = Date.parse(date + 'T00:00:00Z');
    if (Number.isNaN(t)) return '';
    return DAY_LABEL[DAYS[(new Date(t).getUTCDay() + 6) % 7]];
  }

  function todayInZone() {
    const tz = S.model.schedule.timezone;
    try {
      const local = Date.now() + offsetAt(tz, Date.now());
      return new Date(local).toISOString().slice(0, 10);
    } catch (_) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function overrideRow(o, i) {
    const path = 'schedule.overrides[' + i + ']';
    const id = 'override-' + i;
    const label = o.date ? o.date : 'Date ' + (i + 1);
    const weekday = h('span', { class: 'ov-weekday', id: id + '-weekday', text: weekdayOf(o.date) });
    const past = h('span', { class: 'tag past', id: id + '-past', text: 'past', hidden: !(o.date && o.date < todayInZone()) });
    const rerender = () => {
      renderOverrides();
    };
    const modeName = 'ov-mode-' + o.uid;
    const head = h(
      'div',
      { class: 'ov-head' },
      h(
        'div',
        { class: 'ov-date', 'data-field': path + '.date', 'data-errhost': '' },
        h('label', { for: id + '-date', text: 'Date' }),
        h('input', {
          type: 'date',
          id: id + '-date',
          value: o.date,
          'aria-describedby': id + '-weekday err-' + pathId(path + '.date'),
          oninput: (ev) => {
            o.date = ev.target.value;
            weekday.textContent = weekdayOf(o.date);
            past.hidden = !(o.date && o.date < todayInZone());
            clearErrors(path + '.date');
            changed();
          },
        }),
        weekday,
        past,
        h('p', { class: 'field-error', id: 'err-' + pathId(path + '.date') }),
      ),
      h(
        'fieldset',
        { class: 'ov-mode' },
        h('legend', { class: 'sr-only', text: 'Hours on ' + label }),
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'radio',
            name: modeName,
            id: id + '-closed',
            value: 'closed',
            checked: o.closed,
            onchange: () => {
              o.closed = true;
              clearErrors(path);
              rerender();
              changed();
            },
          }),
          ' Closed all day',
        ),
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'radio',
            name: modeName,
            id: id + '-open',
            value: 'open',
            checked: !o.closed,
            onchange: () => {
              o.closed = false;
              if (!o.slots.length) o.slots.push({ start: '09:00', end: '17:00' });
              clearErrors(path);
              rerender();
              changed();
            },
          }),
          ' Open at these times',
        ),
      ),
      h('button', {
        type: 'button',
        class: 'linkish ov-remove',
        id: id + '-remove',
        text: 'Remove date',
        'aria-label': 'Remove the special date ' + label,
        onclick: () => {
          S.model.schedule.overrides.splice(i, 1);
          clearErrors('schedule.overrides');
          rerender();
          changed();
          announce('Special date ' + label + ' removed');
          $('add-override').focus();
        },
      }),
    );
    const body = o.closed
      ? null
      : h(
          'div',
          { class: 'ov-slots' },
          h(
            'div',
            { class: 'slots', 'data-field': path + '.slots', 'data-errhost': '' },
            o.slots.map((slot, j) => slotRow(o.slots, j, path, id, label, rerender)),
            !o.slots.length ? h('p', { class: 'help', text: 'No slots: closed all day.' }) : null,
            h('p', { class: 'field-error', id: 'err-' + pathId(path + '.slots') }),
          ),
          h('button', {
            type: 'button',
            class: 'add-slot',
            id: id + '-add-slot',
            text: '+ Add slot',
            'aria-label': 'Add slot on ' + label,
            disabled: o.slots.length >= MAX_SLOTS,
            onclick: () => {
              addSlot(o.slots);
              clearErrors(path + '.slots');
              rerender();
              changed();
              focusLast(id + '-slot-' + (o.slots.length - 1) + '-start');
            },
          }),
        );
    return h(
      'div',
      { class: 'override' + (o.closed ? ' closed' : ''), 'data-index': String(i), 'data-field': path, 'data-errhost': '' },
      head,
      body,
      h('p', { class: 'field-error', id: 'err-' + pathId(path) }),
    );
  }

  function addOverride() {
    const overrides = S.model.schedule.overrides;
    if (overrides.length >= MAX_OVERRIDES) return;
    overrides.push({ uid: ++S.uid, date: '', closed: true, slots: [] });
    clearErrors('schedule.overrides');
    renderOverrides();
    changed();
    const input = $('override-' + (overrides.length - 1) + '-date');
    if (input) input.focus();
  }

  // ---- preview --------------------------------------------------------------------------------

  function schedulePreview() {
    clearTimeout(S.previewTimer);
    S.previewTimer = setTimeout(renderPreview, 150);
  }

  function renderPreview() {
    if (!S.model) return;
    const box = $('preview');
    const state = $('preview-state');
    const next = $('preview-next');
    const local = $('preview-local');
    next.removeAttribute('data-next');
    local.textContent = '';
    $('preview-label').textContent = isDirty() ? 'Your unsaved edits, computed in this browser' : 'This schedule, computed in this browser';
    const c = compileSchedule(S.model.schedule);
    if (c.problem) {
      box.dataset.state = 'invalid';
      state.textContent = 'Preview paused';
      next.textContent = capitalize(c.problem) + '.';
      return;
    }
    if (c.never) {
      box.dataset.state = 'never';
      state.textContent = 'Never available';
      next.textContent = 'Live chat is never offered; visitors always get the offline message and lead capture.';
      return;
    }
    const now = Date.now();
    let open;
    let change;
    try {
      open = isOpenAt(c, now);
      change = nextChange(c, now);
    } catch (_) {
      box.dataset.state = 'invalid';
      state.textContent = 'Preview unavailable';
      next.textContent = 'This browser cannot compute times in ' + c.tz + '.';
      return;
    }
    box.dataset.state = open ? 'open' : 'closed';
    state.textContent = open ? 'Open now' : 'Closed now';
    if (!S.model.settings.enabled) state.textContent += ' (but handoff is off, so live chat is not offered)';
    if (change === null) {
      next.textContent = open ? 'Always open: no change in the next 366 days.' : 'Always closed: no opening in the next 366 days.';
      local.textContent = '';
      return;
    }
    next.dataset.next = new Date(change).toISOString().replace(/\.000Z$/, 'Z');
    next.textContent = (open ? 'Closes ' : 'Opens ') + fmtInstant(change, c.tz) + ' in ' + c.tz + ' — ' + fromNow(change);
    if (BROWSER_TZ && BROWSER_TZ !== c.tz) local.textContent = 'Your local time (' + BROWSER_TZ + '): ' + fmtInstant(change, BROWSER_TZ);
    else local.textContent = 'The same as your local time.';
  }

  async function refreshAvailability() {
    if (!S.botId) return;
    const id = S.botId;
    try {
      const a = await api('GET', '/bots/' + encodeURIComponent(id) + '/availability');
      if (id !== S.botId) return;
      S.serverAvail = a;
      S.serverAvailError = '';
    } catch (err) {
      if (id !== S.botId) return;
      S.serverAvail = null;
      S.serverAvailError = describe(err);
    }
    renderServerAvailability();
  }

  function renderServerAvailability() {
    const a = S.serverAvail;
    const state = $('server-state');
    const next = $('server-next');
    const live = $('server-live');
    next.removeAttribute('data-next');
    if (!a) {
      state.textContent = S.serverAvailError ? 'Unavailable' : 'Checking…';
      next.textContent = S.serverAvailError || '';
      live.textContent = '';
      return;
    }
    const savedTz = (S.savedData && S.savedData.schedule && S.savedData.schedule.timezone) || 'UTC';
    state.textContent = a.never_available ? 'Never available' : a.schedule_open ? 'Open now' : 'Closed now';
    state.dataset.open = String(Boolean(a.schedule_open && !a.never_available));
    const change = parseTime(a.next_change);
    if (change) {
      next.dataset.next = a.next_change;
      next.textContent =
        (a.schedule_open ? 'Closes ' : 'Opens ') + fmtInstant(change, savedTz) + ' in ' + savedTz + ' — ' + fromNow(change);
    } else next.textContent = a.never_available ? '' : a.schedule_open ? 'Always open: no change in the next 366 days.' : 'No opening in the next 366 days.';
    const agents = typeof a.agents_with_capacity === 'number' ? a.agents_with_capacity : null;
    const agentsText = agents === null ? '' : agents + (agents === 1 ? ' agent' : ' agents') + ' online with room for a chat';
    live.textContent = a.live
      ? 'Live chat is offered right now' + (agentsText ? ' (' + agentsText + ').' : '.')
      : 'Live chat is not offered right now: ' + (REASONS[a.reason] || a.reason || 'offline') + (agentsText && a.reason !== 'nobody_available' ? ' (' + agentsText + ').' : '.');
  }

  function startTick() {
    stopTick();
    let n = 0;
    S.tick = setInterval(() => {
      if (!S.model || document.hidden) return;
      n += 1;
      renderTzNow();
      renderPreview();
      if (n % 2 === 0) refreshAvailability();
      else renderServerAvailability();
    }, 30000);
  }

  function stopTick() {
    if (S.tick) clearInterval(S.tick);
    S.tick = null;
  }

  // ---- errors ---------------------------------------------------------------------------------

  function describeField(path) {
    if (FIELD_LABEL[path]) return FIELD_LABEL[path];
    let m = /^schedule\.weekly\.([a-z]+)(?:\.slots(?:\[(\d+)\](?:\.(start|end))?)?|\.(enabled))?$/.exec(path);
    if (m) {
      const day = DAY_LABEL[m[1]] || m[1];
      if (m[2] !== undefined) return day + ', slot ' + (Number(m[2]) + 1) + (m[3] ? ' ' + m[3] : '');
      return day;
    }
    m = /^schedule\.overrides\[(\d+)\](?:\.(date)|\.slots(?:\[(\d+)\](?:\.(start|end))?)?)?$/.exec(path);
    if (m) {
      const o = S.model && S.model.schedule.overrides[Number(m[1])];
      const name = o && o.date ? 'Special date ' + o.date : 'Special date ' + (Number(m[1]) + 1);
      if (m[2]) return name + ', date';
      if (m[3] !== undefined) return name + ', slot ' + (Number(m[3]) + 1) + (m[4] ? ' ' + m[4] : '');
      return name;
    }
    return path || 'Request';
  }

  /** Server messages, made readable where they name an internal path or an empty value. */
  function humanMessage(field, message) {
    let text = String(message || '');
    if (/\.date$/.test(field) && /^"" is not/.test(text)) return 'Choose a date.';
    if (/\.(start|end)$/.test(field) && /^"" is not/.test(text)) return 'Enter a time as HH:MM.';
    text = text.replace(/overrides\[(\d+)\]/g, (_, n) => {
      const o = S.model && S.model.schedule.overrides[Number(n)];
      return 'the special date in row ' + (Number(n) + 1) + (o && o.date ? ' (' + o.date + ')' : '');
    });
    return capitalize(text);
  }

  /** Settings checks the server makes (it reports only the first; these show them all at once). */
  function validateSettings(s) {
    const errors = [];
    for (const f of TEXT_FIELDS) {
      const n = charCount(s[f.key].trim());
      if (n === 0) errors.push({ field: 'settings.' + f.key, message: f.label + ' cannot be empty.' });
      else if (n > f.max) errors.push({ field: 'settings.' + f.key, message: f.label + ' is ' + n + ' characters; at most ' + f.max + '.' });
    }
    const raw = s.accept_timeout_seconds.trim();
    if (!/^\d+$/.test(raw)) {
      errors.push({ field: 'settings.accept_timeout_seconds', message: 'Enter a whole number of seconds from ' + MIN_TIMEOUT + ' to ' + MAX_TIMEOUT + '.' });
    } else if (Number(raw) < MIN_TIMEOUT || Number(raw) > MAX_TIMEOUT) {
      errors.push({ field: 'settings.accept_timeout_seconds', message: 'The accept timeout must be between ' + MIN_TIMEOUT + ' and ' + MAX_TIMEOUT + ' seconds.' });
    }
    return errors;
  }

  /** Drops the errors of a field, of what is inside it, and of the row it belongs to. */
  function clearErrors(path) {
    if (!S.errors.length) return;
    const before = S.errors.length;
    S.errors = S.errors.filter((e) => {
      const f = e.field;
      const inside = f === path || f.startsWith(path + '.') || f.startsWith(path + '[');
      const row = /\[\d+\]$/.test(f) && (path.startsWith(f + '.') || path.startsWith(f + '['));
      return !(inside || row);
    });
    if (S.errors.length !== before) applyErrors();
  }

  function findFieldElement(path) {
    let p = path;
    while (p) {
      const el = document.querySelector('[data-field="' + CSS.escape(p) + '"]');
      if (el) return el;
      p = parentPath(p);
    }
    return null;
  }

  function applyErrors() {
    for (const el of document.querySelectorAll('#editor .field-error')) {
      el.replaceChildren();
      el.hidden = true;
    }
    for (const el of document.querySelectorAll('#editor [aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of document.querySelectorAll('#editor .has-error')) el.classList.remove('has-error');

    const placed = [];
    for (const err of S.errors) {
      const el = findFieldElement(err.field);
      let target = null;
      if (el) {
        const host = el.hasAttribute('data-errhost') ? el : el.closest('[data-errhost]') || el;
        const hostPath = host.getAttribute('data-field') || '';
        const box = host.querySelector(':scope > .field-error') || $('err-' + pathId(hostPath)) || $('err-' + pathId(parentPath(err.field)));
        if (box) {
          box.append(h('span', { text: humanMessage(err.field, err.message) }));
          box.hidden = false;
        }
        host.classList.add('has-error');
        const controls = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)
          ? [el]
          : [...el.querySelectorAll('input, textarea, select')].filter((c) => c.closest('[data-errhost]') === host && c.type !== 'radio');
        for (const c of controls) {
          c.setAttribute('aria-invalid', 'true');
          if (box && box.id) {
            const ids = (c.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
            if (!ids.includes(box.id)) c.setAttribute('aria-describedby', ids.concat(box.id).join(' '));
          }
        }
        target = controls[0] || el;
      }
      placed.push({ err, target });
    }
    // The summary lists the problems in page order (those without a place last).
    placed.sort((a, b) => {
      if (!a.target || !b.target) return (a.target ? 0 : 1) - (b.target ? 0 : 1);
      if (a.target === b.target) return 0;
      return a.target.compareDocumentPosition(b.target) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    renderSummary(placed);
  }

  function renderSummary(placed) {
    const summary = $('error-summary');
    const list = $('error-summary-list');
    if (!placed.length && !S.errorNote) {
      summary.hidden = true;
      list.replaceChildren();
      return;
    }
    summary.hidden = false;
    const n = placed.length;
    $('error-summary-title').textContent = 'Nothing was saved';
    $('error-summary-text').textContent = S.errorNote || (n === 1 ? 'Fix this problem, then save again:' : 'Fix these ' + n + ' problems, then save again:');
    list.replaceChildren(
      ...placed.map(({ err, target }) =>
        h(
          'li',
          null,
          h('button', {
            type: 'button',
            class: 'linkish',
            text: describeField(err.field),
            onclick: () => {
              if (target) {
                target.scrollIntoView({ block: 'center' });
                if (typeof target.focus === 'function') target.focus();
              }
            },
          }),
          ': ' + humanMessage(err.field, err.message),
        ),
      ),
    );
  }

  // ---- dirty state and saving -----------------------------------------------------------------

  function changed() {
    S.justSaved = false;
    refreshSummaries();
    updateNeverState();
    updateDirty();
    schedulePreview();
  }

  function updateNeverState() {
    const never = Boolean(S.model && S.model.schedule.never_available);
    $('never-note').hidden = !never;
    for (const id of ['days', 'overrides']) $(id).classList.toggle('ignored', never);
  }

  function updateDirty() {
    const el = $('dirty-indicator');
    const dirty = isDirty();
    let state;
    let text;
    if (S.saving) {
      state = 'saving';
      text = 'Saving…';
    } else if (dirty && (S.errors.length || S.errorNote)) {
      state = 'error';
      text = 'Not saved: ' + (S.errors.length ? S.errors.length + (S.errors.length === 1 ? ' problem' : ' problems') + ' to fix' : 'see above');
    } else if (dirty) {
      state = 'dirty';
      text = 'Unsaved changes';
    } else if (S.justSaved) {
      state = 'saved';
      text = 'All changes saved';
    } else {
      state = 'clean';
      text = 'No changes';
    }
    el.dataset.state = state;
    el.textContent = text;
    $('save').disabled = S.saving || !dirty;
    $('discard').disabled = S.saving || !dirty;
    const base = 'Agent Editor — ' + (S.botName || 'Baton') + ' — Baton';
    document.title = (dirty ? '• ' : '') + base;
  }

  function normalizeAllTimes() {
    const fix = (slots) => {
      for (const x of slots) {
        x.start = normalizeTime(x.start);
        x.end = normalizeTime(x.end);
      }
    };
    for (const d of DAYS) fix(S.model.schedule.weekly[d].slots);
    for (const o of S.model.schedule.overrides) fix(o.slots);
  }

  async function save(ev) {
    if (ev) ev.preventDefault();
    if (!S.model || S.saving || !S.botId) return;
    closeTzList();
    normalizeAllTimes();
    const clientErrors = validateSettings(S.model.settings);
    const body = toBody(S.model);
    const sent = JSON.stringify(body);
    const id = S.botId;
    S.errorNote = '';
    if (typeof body.settings.accept_timeout_seconds !== 'number') {
      // Not a number at all: the request could not even be read. Nothing is sent.
      S.errors = clientErrors;
      renderAll();
      focusSummary();
      return;
    }
    S.saving = true;
    updateDirty();
    try {
      const res = await api('PUT', '/bots/' + encodeURIComponent(id) + '/handoff', body);
      if (id !== S.botId) return;
      const editedMeanwhile = JSON.stringify(toBody(S.model)) !== sent;
      S.savedData = res;
      S.saved = JSON.stringify(toBody(fromServer(res)));
      S.errors = [];
      S.tzNotice = '';
      if (!editedMeanwhile) S.model = fromServer(res);
      S.justSaved = true;
      S.saving = false;
      renderAll();
      announce('Saved.');
      refreshAvailability();
    } catch (err) {
      S.saving = false;
      if (err.status === 400 && err.code === 'invalid') {
        const fromServerErrors = err.errors && err.errors.length ? err.errors : [{ field: err.field || 'body', message: err.message }];
        const merged = [];
        const seen = new Set();
        for (const e of fromServerErrors) {
          merged.push({ field: e.field || 'body', message: e.message });
          seen.add(e.field);
        }
        // The server stops at the first settings problem (and checks settings only once the
        // schedule is valid): add the ones found here.
        for (const e of clientErrors) if (!seen.has(e.field)) merged.push(e);
        S.errors = merged;
        applyErrors();
        focusSummary();
      } else if (err.status === 401 || err.status === 403) {
        S.errorNote = 'Not saved: ' + (err.status === 401 ? 'your session has ended.' : 'only admins can change these settings.');
        applyErrors();
      } else {
        S.errorNote = 'Not saved: ' + describe(err) + ' Your changes are still here; try again.';
        applyErrors();
        focusSummary();
      }
    } finally {
      S.saving = false;
      updateDirty();
    }
  }

  function focusSummary() {
    const summary = $('error-summary');
    if (summary.hidden) return;
    summary.scrollIntoView({ block: 'start' });
    summary.focus({ preventScroll: true });
  }

  function discard() {
    if (!S.savedData) return;
    useSaved(S.savedData);
    S.tzNotice = '';
    S.justSaved = false;
    renderAll();
    announce('Changes discarded.');
    // The Discard button is disabled now that nothing changed: focus the form's first field.
    const first = document.querySelector('#editor input:not([disabled]), #editor textarea:not([disabled]), #editor select:not([disabled])');
    if (first) first.focus();
  }

  // ---- knowledge: Q&A entries and Markdown documents, each saved on its own --------------------

  const KN_MAX_TITLE = 500;
  const KN_MAX_ANSWER = 10000;
  const KN_MAX_DOCUMENT_BYTES = 256 * 1024;
  const KN_LABELS = {
    qa: { title: 'Question', body: 'Answer', noun: 'Q&A entry' },
    document: { title: 'Title', body: 'Markdown', noun: 'document' },
  };
  const encoder = new TextEncoder();
  const byteLength = (text) => encoder.encode(text).length;

  /** The knowledge of the bot shown: entries, open editors (key → {kind, id, title, body, errors, busy}), deletions asked. */
  const K = { botId: null, entries: [], editors: new Map(), confirming: new Set(), loads: 0, tab: 'handoff' };

  const TAB_NAMES = { handoff: 'Handoff', knowledge: 'Knowledge', bot: 'Bot' };

  function showTab(tab) {
    K.tab = TAB_NAMES[tab] ? tab : 'handoff';
    $('editor').hidden = K.tab !== 'handoff';
    $('knowledge').hidden = K.tab !== 'knowledge';
    $('bot-tool').hidden = K.tab !== 'bot';
    for (const b of document.querySelectorAll('.tool-tabs button')) b.setAttribute('aria-current', b.dataset.tab === K.tab ? 'page' : 'false');
    $('brand-sub').textContent = TAB_NAMES[K.tab];
    const url = new URL(location.href);
    url.hash = K.tab === 'handoff' ? '' : '#' + K.tab;
    history.replaceState(null, '', url);
    if (K.tab === 'knowledge' && S.botId && K.botId !== S.botId) loadKnowledge(S.botId);
  }

  function resetKnowledge() {
    K.botId = null;
    K.entries = [];
    K.editors.clear();
    K.confirming.clear();
    $('knowledge').dataset.loaded = 'false';
    $('kn-hits').replaceChildren();
    $('kn-test-status').textContent = '';
    $('kn-test-error').textContent = '';
  }

  async function loadKnowledge(botId) {
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
    const title = h('input', { type: 'text', maxlength: String(KN_MAX_TITLE), autocomplete: 'off', value: ed.title });
    const body = h('textarea', { rows: isDoc ? '14' : '4', value: ed.body, spellcheck: isDoc ? 'false' : null });
    if (!isDoc) body.setAttribute('maxlength', String(KN_MAX_ANSWER));
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
      field('body', body, isDoc ? 'Markdown: # headings split it into sections. Up to 256 KiB.' : null),
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
    if (file.size > KN_MAX_DOCUMENT_BYTES) {
      ed.errors.body = file.name + ' is ' + Math.ceil(file.size / 1024) + ' KiB: a document holds at most 256 KiB of Markdown.';
      renderKnowledge();
      return;
    }
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      ed.body = String(reader.result || '');
      delete ed.errors.body;
      if (!ed.title.trim()) {
        const heading = /^#\s+(.+)$/m.exec(ed.body);
        ed.title = (heading ? heading[1] : file.name.replace(/\.(md|markdown|txt)$/i, '')).trim().slice(0, KN_MAX_TITLE);
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
    else if (charCount(title) > KN_MAX_TITLE) errors.title = 'The ' + what + ' is too long: at most ' + KN_MAX_TITLE + ' characters.';
    else if (/[\u0000-\u001f\u007f]/.test(title)) errors.title = 'The ' + what + ' must fit on one line.';
    if (!body) errors.body = ed.kind === 'qa' ? 'Write the answer.' : 'Write or upload the Markdown.';
    else if (ed.kind === 'qa' && charCount(body) > KN_MAX_ANSWER) errors.body = 'The answer is too long: at most ' + KN_MAX_ANSWER + ' characters.';
    else if (ed.kind === 'document' && byteLength(body) > KN_MAX_DOCUMENT_BYTES) errors.body = 'The document is ' + sizeLabel(body) + ': at most 256 KiB of Markdown.';
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

  function wireKnowledge() {
    for (const b of document.querySelectorAll('.tool-tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
    $('kn-add-qa').addEventListener('click', () => openNew('qa'));
    $('kn-add-document').addEventListener('click', () => openNew('document'));
    $('kn-test').addEventListener('submit', testQuestion);
    window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));
    wireBotTool();
  }

  // ---- the Bot tool: name, greeting, persona; the embed snippet; archive ----------------------

  /** The bot shown, as the server last returned it. */
  function shownBot() {
    return (S.bots || []).find((b) => b.id === S.botId) || null;
  }

  function renderBotTool() {
    const bot = shownBot();
    if (!bot) return;
    $('bt-name').value = bot.name;
    $('bt-greeting').value = bot.greeting;
    $('bt-persona').value = bot.persona || '';
    const greetings = {};
    for (const [lang, texts] of Object.entries(bot.translations || {})) greetings[lang] = texts.greeting;
    fillTranslations(S.greetingTranslations, greetings);
    showBaseAsPlaceholder(S.greetingTranslations, bot.greeting);
    for (const f of ['name', 'greeting', 'persona']) showBotError(f, '');
    clearGreetingErrors();
    $('bt-status').textContent = '';
    $('bt-copy-status').textContent = '';
    $('bt-error').hidden = true;
    $('bt-snippet').textContent =
      '<script src="' + location.origin + '/widget.js" data-bot="' + bot.id + '" async></' + 'script>';
  }

  function clearGreetingErrors() {
    for (const [lang, area] of S.greetingTranslations.inputs) {
      area.removeAttribute('aria-invalid');
      $('err-' + pathId('translations.' + lang + '.greeting')).textContent = '';
    }
  }

  function showBotError(field, text) {
    const input = $('bt-' + field);
    $('bt-' + field + '-error').textContent = text;
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  async function saveBot(ev) {
    ev.preventDefault();
    const bot = shownBot();
    if (!bot) return;
    const translations = {};
    for (const [lang, area] of S.greetingTranslations.inputs) {
      if (area.value.trim()) translations[lang] = { greeting: area.value.trim() };
    }
    const body = {
      name: $('bt-name').value,
      greeting: $('bt-greeting').value,
      persona: $('bt-persona').value,
      translations,
    };
    for (const f of ['name', 'greeting', 'persona']) showBotError(f, '');
    clearGreetingErrors();
    if (!body.name.trim()) {
      showBotError('name', 'A bot needs a name.');
      $('bt-name').focus();
      return;
    }
    $('bt-save').disabled = true;
    $('bt-status').textContent = 'Saving…';
    try {
      const saved = (await api('PATCH', '/bots/' + encodeURIComponent(bot.id), body)).bot;
      S.bots = S.bots.map((b) => (b.id === saved.id ? saved : b));
      $('bt-status').textContent = 'Saved.';
      refreshBotNames(saved);
    } catch (err) {
      $('bt-status').textContent = '';
      if (err.field && ['name', 'greeting', 'persona'].includes(err.field)) {
        showBotError(err.field, err.message);
        $('bt-' + err.field).focus();
      } else if (err.field && err.field.startsWith('translations.')) {
        const problems = err.errors && err.errors.length ? err.errors : [{ field: err.field, message: err.message }];
        let first = null;
        for (const p of problems) {
          const area = document.querySelector('#bot-tool [data-field="' + CSS.escape(p.field) + '"]');
          const box = $('err-' + pathId(p.field));
          if (!area || !box) continue;
          box.textContent = capitalize(p.message);
          area.setAttribute('aria-invalid', 'true');
          first = first || area;
        }
        S.greetingTranslations.details.open = true;
        if (first) first.focus();
      } else {
        $('bt-error').textContent = 'Nothing was saved: ' + describe(err);
        $('bt-error').hidden = false;
      }
    } finally {
      $('bt-save').disabled = false;
    }
  }

  function refreshBotNames(bot) {
    const option = [...$('bot-picker').options].find((o) => o.value === bot.id);
    if (option) option.textContent = bot.name;
    if (S.bots.length === 1) $('bot-name').textContent = bot.name;
    S.botName = bot.name;
    $('title-bot-name').textContent = bot.name;
    $('kn-bot-name').textContent = bot.name;
    document.title = 'Agent Editor — ' + bot.name + ' — Baton';
  }

  async function newBot() {
    $('bot-new').disabled = true;
    try {
      const bot = (await api('POST', '/bots', { name: 'New bot' })).bot;
      const url = new URL(location.href);
      url.searchParams.set('bot', bot.id);
      history.replaceState(null, '', url);
      await loadBots();
      showTab('bot');
      $('bt-name').focus();
      $('bt-name').select();
    } catch (err) {
      showLoadError('Could not create a bot: ' + describe(err));
    } finally {
      $('bot-new').disabled = false;
    }
  }

  async function archiveBot() {
    const bot = shownBot();
    if (!bot) return;
    if (!confirm('Archive “' + bot.name + '”? Its widget will say the chat is no longer available.')) return;
    try {
      await api('DELETE', '/bots/' + encodeURIComponent(bot.id));
    } catch (err) {
      $('bt-error').textContent = 'The bot was not archived: ' + describe(err);
      $('bt-error').hidden = false;
      return;
    }
    const url = new URL(location.href);
    url.searchParams.delete('bot');
    history.replaceState(null, '', url);
    S.botId = null;
    await loadBots();
    showTab('handoff');
  }

  async function copySnippet() {
    const text = $('bt-snippet').textContent;
    try {
      await navigator.clipboard.writeText(text);
      $('bt-copy-status').textContent = 'Copied.';
    } catch (_) {
      // No clipboard access (an insecure origin): select it for a manual copy.
      const range = document.createRange();
      range.selectNodeContents($('bt-snippet'));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      $('bt-copy-status').textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  }

  function wireBotTool() {
    $('bt-form').addEventListener('submit', saveBot);
    $('bot-new').addEventListener('click', () =>
      confirmDiscard('You have unsaved changes. Discard them and create a new bot?', newBot),
    );
    $('bt-archive').addEventListener('click', archiveBot);
    $('bt-copy').addEventListener('click', copySnippet);
  }

  // ---- "Try a sentence" ------------------------------------------------------------------------

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

  function wireTrySentence() {
    $('try-run').addEventListener('click', trySentence);
    // Enter tries the sentence; it must not submit the settings form.
    $('try-text').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        trySentence();
      }
    });
  }

  // ---- wiring ---------------------------------------------------------------------------------

  function bindSettings() {
    for (const f of TEXT_FIELDS) {
      $(f.id).addEventListener('input', (ev) => {
        if (!S.model) return;
        S.model.settings[f.key] = ev.target.value;
        updateCounter(f);
        if (S.translationBlocks[f.key]) showBaseAsPlaceholder(S.translationBlocks[f.key], ev.target.value);
        clearErrors('settings.' + f.key);
        changed();
      });
    }
    for (const f of TRANSLATED) {
      for (const [lang, area] of S.translationBlocks[f.key].inputs) {
        area.addEventListener('input', (ev) => {
          if (!S.model) return;
          S.model.settings.translations[f.key][lang] = ev.target.value;
          clearErrors('settings.translations.' + lang + '.' + f.key);
          changed();
        });
      }
    }
    for (const f of CHECKS) {
      $(f.id).addEventListener('change', (ev) => {
        if (!S.model) return;
        S.model.settings[f.key] = ev.target.checked;
        clearErrors('settings.' + f.key);
        if (f.key === 'lead_capture_enabled') updateLeadState();
        changed();
      });
    }
    for (const f of TRIGGERS) {
      const select = $(f.id);
      select.replaceChildren(...LEVELS.map(([value, label]) => h('option', { value, text: label })));
      select.addEventListener('change', (ev) => {
        if (!S.model) return;
        S.model.settings.ai_triggers[f.key] = ev.target.value;
        clearErrors('settings.ai_triggers.' + f.key);
        changed();
      });
    }
    $('accept-timeout').addEventListener('input', (ev) => {
      if (!S.model) return;
      S.model.settings.accept_timeout_seconds = ev.target.value;
      clearErrors('settings.accept_timeout_seconds');
      updateTimeoutHelp();
      changed();
    });
    $('never-available').addEventListener('change', (ev) => {
      if (!S.model) return;
      S.model.schedule.never_available = ev.target.checked;
      clearErrors('schedule.never_available');
      changed();
    });
  }

  function init() {
    // A Translations disclosure under each visitor-facing text of the Handoff tool.
    S.translationBlocks = {};
    for (const f of TRANSLATED) {
      const block = translationsBlock(f.id, f.label, f.max, (lang) => 'settings.translations.' + lang + '.' + f.key);
      $(f.id).closest('.field').append(block.details);
      S.translationBlocks[f.key] = block;
    }
    S.greetingTranslations = translationsBlock('bt-greeting', 'Greeting', 500, (lang) => 'translations.' + lang + '.greeting');
    $('bt-greeting').closest('.field').append(S.greetingTranslations.details);
    $('bt-greeting').addEventListener('input', (ev) => showBaseAsPlaceholder(S.greetingTranslations, ev.target.value));
    for (const el of document.querySelectorAll('#editor .field')) el.setAttribute('data-errhost', '');
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', () => confirmDiscard('You have unsaved changes. Log out anyway?', logout));
    $('denied-logout').addEventListener('click', logout);
    $('editor').addEventListener('submit', save);
    // Enter in a one-line field does not save by accident (Save or Ctrl+S does).
    $('editor').addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && ev.target.tagName === 'INPUT') ev.preventDefault();
    });
    $('discard').addEventListener('click', discard);
    bindSettings();
    wireTrySentence();
    wireKnowledge();
    showTab(location.hash.slice(1));

    const tz = $('tz-input');
    tz.addEventListener('input', onTzInput);
    tz.addEventListener('keydown', onTzKey);
    tz.addEventListener('blur', onTzBlur);
    tz.addEventListener('click', () => {
      if ($('tz-list').hidden) openTzList('', true);
    });
    $('tz-use-browser').addEventListener('click', () => {
      const zone = knownZone(BROWSER_TZ);
      if (zone) chooseTz(zone);
    });

    $('add-override').addEventListener('click', addOverride);

    $('copy-form').addEventListener('submit', applyCopy);
    $('copy-cancel').addEventListener('click', () => $('copy-dialog').close());
    $('copy-weekdays').addEventListener('click', () => setCopyChecks(WEEKDAYS));
    $('copy-all').addEventListener('click', () => setCopyChecks(DAYS));
    $('copy-none').addEventListener('click', () => setCopyChecks([]));

    $('switch-stay').addEventListener('click', () => {
      S.onDiscard = null;
      $('switch-dialog').close();
      if (S.botId) $('bot-picker').value = S.botId;
    });
    $('switch-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      $('switch-dialog').close();
      const then = S.onDiscard;
      S.onDiscard = null;
      if (S.savedData) useSaved(S.savedData);
      if (then) then();
    });
    $('switch-dialog').addEventListener('cancel', () => {
      S.onDiscard = null;
      if (S.botId) $('bot-picker').value = S.botId;
    });

    $('bot-picker').addEventListener('change', (ev) => {
      const id = ev.target.value;
      if (id === S.botId) return;
      const name = (S.bots.find((b) => b.id === S.botId) || {}).name || 'this bot';
      confirmDiscard('You have unsaved changes for ' + name + '. Discard them and switch bots?', () => loadBot(id));
    });

    document.addEventListener('keydown', (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 's' && !$('app-view').hidden) {
        ev.preventDefault();
        if (isDirty()) save();
      }
    });
    window.addEventListener('beforeunload', (ev) => {
      if (isDirty()) {
        ev.preventDefault();
        ev.returnValue = '';
      }
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && S.model) {
        renderTzNow();
        renderPreview();
        refreshAvailability();
      }
    });

    start();
  }

  init();
})();
