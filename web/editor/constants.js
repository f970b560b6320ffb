/*
 * The editor's fixed vocabulary: days, levels, the visitor-facing texts and their languages,
 * trigger and field labels.
 */

export const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
export const DAY_LABEL = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};
export const WEEKDAYS = DAYS.slice(0, 5);
export const LEVELS = [
  ['off', 'Off'],
  ['low', 'Low'],
  ['medium', 'Medium'],
  ['high', 'High'],
];
/** The Handoff tool's texts; `limit` names their size limit in the server's limits (limits.js). */
export const TEXT_FIELDS = [
  { id: 'instruction', key: 'instruction', limit: 'handoff.instruction_chars', label: 'Instruction' },
  { id: 'offline-message', key: 'offline_message', limit: 'handoff.offline_message_chars', label: 'Offline message' },
  { id: 'lead-prompt', key: 'lead_capture_prompt', limit: 'handoff.offline_message_chars', label: 'Lead capture prompt' },
  { id: 'lead-success', key: 'lead_capture_success', limit: 'handoff.offline_message_chars', label: 'Success message' },
];
/** The texts a visitor reads that an admin may translate in this tool (the greeting is the Bot tool's). */
export const TRANSLATED = TEXT_FIELDS.filter((f) => f.key !== 'instruction');
/** The languages the widget speaks, in the order the Translations disclosure lists them. */
export const TEXT_LANGS = [
  ['de', 'German (Deutsch)'],
  ['fr', 'French (Français)'],
  ['es', 'Spanish (Español)'],
  ['pt', 'Portuguese (Português)'],
  ['en', 'English (when the text above is in another language)'],
];
export const CHECKS = [
  { id: 'handoff-enabled', key: 'enabled', label: 'Handoff enabled' },
  { id: 'ai-helps', key: 'ai_helps_while_waiting', label: 'AI keeps helping while waiting' },
  { id: 'lead-enabled', key: 'lead_capture_enabled', label: 'Lead capture' },
  { id: 'freshchat-enabled', key: 'freshchat_enabled', label: 'Route handoffs to FreshChat' },
];
export const TRIGGERS = [
  { id: 'trigger-frustration', key: 'frustration', label: 'Frustration trigger' },
  { id: 'trigger-complex', key: 'complex_issue', label: 'Complex issue trigger' },
  { id: 'trigger-sales', key: 'sales_opportunity', label: 'Sales opportunity trigger' },
];
export const FIELD_LABEL = {
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
export const REASONS = {
  handoff_disabled: 'handoff is turned off for this bot',
  never_available: '“Never available” is on',
  schedule_closed: 'the schedule is closed',
  nobody_available: 'no agent is online with room for another chat',
  nobody_accepted: 'nobody accepted in time',
};
export const BROWSER_TZ = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch (_) {
    return '';
  }
})();
export const MINUTE = 60000;
export const DAY_MS = 86400000;
