/*
 * The form's model: read from the server's answer, written back as the PUT body, and whether it
 * changed.
 */

import { DAYS, TEXT_LANGS, TRANSLATED } from './constants.js';
import { S } from './state.js';

export function fromServer(data) {
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
export function toBody(model) {
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

export const isDirty = () => Boolean(S.model) && JSON.stringify(toBody(S.model)) !== S.saved;
