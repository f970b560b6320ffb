/*
 * The widget's texts: the few built in (English) until the server's arrive, then the server's, in
 * the visitor's language; dates, times and waits in words.
 */

/**
 * The texts needed before the server's answer arrives (the launcher, the composer, a message
 * sent at once) and those that say why it did not come. Everything else comes from the server's
 * `strings`; these must stay word for word the English ones there.
 */
const FALLBACK_STRINGS = {
  launcher_open: 'Open chat',
  launcher_open_unread: 'Open chat ({count} new)',
  close_chat: 'Close chat',
  title: 'Chat',
  subtitle_ai: 'AI assistant',
  conversation: 'Conversation',
  composer_placeholder: 'Write a message…',
  message_label: 'Message',
  send_message: 'Send message',
  attach_file: 'Attach a file',
  talk_to_person: 'Talk to a person',
  powered_by: 'Powered by Baton',
  you_said: 'You said:',
  pending_sending: 'Sending…',
  pending_waiting: 'Waiting to send…',
  pending_offline: 'Waiting for the connection…',
  pending_server: 'The server had a problem; retrying…',
  pending_failed: 'Not sent.',
  retry: 'Retry',
  delete: 'Delete',
  error_unknown_bot: 'This chat is not set up correctly (unknown bot).',
  error_bot_gone: 'This chat is no longer available.',
  error_network: "Can't reach the chat right now. Check your connection — we'll keep trying.",
  error_server: 'The chat server had a problem. Please try again in a moment.',
  error_other: 'Something went wrong.',
};

/** The texts in use: the built-in ones until the server's arrive (see Widget.loadBot). */
let strings = FALLBACK_STRINGS;
/** The language of `strings` (the server's `lang`), and the locale dates are written in. */
let lang = 'en';
let locale = 'en-GB';

/** The text for `key`, with its {placeholders} filled in from `params`. */
function t(key, params) {
  const text = strings[key] || FALLBACK_STRINGS[key] || '';
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Takes the server's texts for the language it chose; dates follow that language too. */
function useStrings(serverStrings, serverLang) {
  if (!serverStrings || typeof serverStrings !== 'object') return;
  strings = serverStrings;
  lang = typeof serverLang === 'string' && serverLang ? serverLang : 'en';
  const primary = LANG_TAG.split('-')[0].toLowerCase();
  // English availability dates read the British way ("Monday 12 January 09:00"); another
  // language takes the page's region when the page asked for it (pt-BR, de-AT).
  if (lang === 'en') locale = 'en-GB';
  else locale = primary === lang && LANG_TAG.includes('-') ? LANG_TAG : lang;
  try {
    new Intl.DateTimeFormat(locale);
  } catch (_) {
    locale = lang;
  }
  formats = null;
}

let formats = null;
/** Date formats in the current locale, made once per language. */
function dateFormats() {
  if (!formats) {
    formats = {
      // "09:00": the visitor's local wall-clock time, 24-hour.
      hourMinute: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      weekday: new Intl.DateTimeFormat(locale, { weekday: 'long' }),
      weekdayDate: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long' }),
      weekdayDateYear: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
    };
  }
  return formats;
}

/** A message's time; in English, the browser's own locale (12- or 24-hour as the visitor is used to). */
function clockTime(date) {
  return date ? date.toLocaleTimeString(lang === 'en' ? [] : locale, { hour: '2-digit', minute: '2-digit' }) : '';
}

function fullTime(date) {
  return date ? date.toLocaleString(lang === 'en' ? [] : locale) : null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When the team is back, in the visitor's local time zone: "today 17:00", "tomorrow 09:00",
 * "Monday 09:00", or with the date when it is more than six days away ("Monday 12 January 09:00").
 */
function backInWords(when, now) {
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  // Rounded: a day across a daylight-saving change is 23 or 25 hours long.
  const days = Math.round((midnight(when) - midnight(now)) / DAY_MS);
  const f = dateFormats();
  const time = f.hourMinute.format(when);
  if (days <= 0) return t('back_today', { time });
  if (days === 1) return t('back_tomorrow', { time });
  if (days <= 6) return t('back_day', { day: f.weekday.format(when), time });
  const date = when.getFullYear() === now.getFullYear() ? f.weekdayDate : f.weekdayDateYear;
  return t('back_day', { day: date.format(when), time });
}

function waitInWords(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds < 60) return t('wait_under_minute');
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? t('wait_one_minute') : t('wait_minutes', { minutes });
}

function secondsInWords(seconds) {
  return seconds === 1 ? t('seconds_one') : t('seconds_other', { count: seconds });
}
