/*
 * Handoff analytics: the range and bot, figures, inline SVG charts with table alternatives, the
 * CSV download.
 */

import { API } from '../shared/api.js';
import { $, h } from '../shared/dom.js';
import { api, describe } from './http.js';
import { showView } from './sections.js';
import { S } from './state.js';
import { fillSelect, learnBot, shortId } from './tickets.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds an SVG element (attributes as strings; text only through textContent). */
function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

const OUTCOME_LABELS = {
  accepted: 'Accepted',
  cancelled: 'Cancelled by the visitor',
  expired: 'Expired (nobody accepted)',
  offline: 'Offline',
  waiting: 'Still waiting',
  routed: 'Routed to FreshChat',
};
const OFFLINE_LABELS = {
  handoff_disabled: 'Handoff turned off',
  never_available: 'Never available',
  schedule_closed: 'Outside working hours',
  nobody_available: 'Nobody available',
};
const TRIGGER_LABELS = {
  user_request: 'Visitor asked for a person',
  frustration: 'Frustration',
  complex_issue: 'Complex issue',
  sales_opportunity: 'Sales opportunity',
  other: 'Other (including agents joining)',
};

/** A wait in seconds as words: "45 s", "2 min 5 s", "1 h 3 min"; an em dash when unknown. */
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  const m = Math.floor((s % 3600) / 60);
  return Math.floor(s / 3600) + ' h' + (m ? ' ' + m + ' min' : '');
}

function hourLabel(hour) {
  return String(hour).padStart(2, '0') + ':00';
}

/** A date input's value (YYYY-MM-DD) for a Date, in the browser's zone. */
function dateValue(d) {
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}

/** Local midnight of a date input's value, or null. */
function localMidnight(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

function setPreset(days) {
  const today = new Date();
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  $('an-from').value = dateValue(from);
  $('an-to').value = dateValue(today);
}

/** The query of the chosen range and bot: the From day's start to the end of the To day. */
function analyticsQuery() {
  const from = localMidnight($('an-from').value);
  const toDay = localMidnight($('an-to').value);
  if (!from) return { error: 'Choose a start date.', field: 'an-from' };
  if (!toDay) return { error: 'Choose an end date.', field: 'an-to' };
  if (from > toDay) return { error: 'The start date is after the end date.', field: 'an-from' };
  const to = new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1);
  const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  if ($('an-bot').value) params.set('bot_id', $('an-bot').value);
  return { query: params.toString() };
}

export function showAnalytics() {
  showView('analytics');
  history.replaceState(null, '', '#analytics');
  if (!$('an-from').value || !$('an-to').value) setPreset(7);
  loadAnalytics();
}

async function loadAnalytics() {
  const q = analyticsQuery();
  $('an-error').textContent = q.error || '';
  for (const id of ['an-from', 'an-to']) $(id).setAttribute('aria-invalid', String(q.field === id));
  if (q.error) return;
  $('an-csv').href = API + '/analytics/handoffs?' + q.query + '&format=csv';
  $('an-status').textContent = 'Loading…';
  const load = (S.analyticsLoads = (S.analyticsLoads || 0) + 1);
  try {
    const data = await api('GET', '/analytics/handoffs?' + q.query);
    if (load !== S.analyticsLoads) return;
    S.analytics = data;
    paintAnalytics(data);
    $('an-status').textContent = data.total === 1 ? '1 handoff in this range.' : data.total + ' handoffs in this range.';
  } catch (err) {
    if (load !== S.analyticsLoads) return;
    $('an-status').textContent = '';
    $('an-error').textContent = describe(err);
  }
}

function paintAnalytics(d) {
  const bots = (d.bots || []).slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const b of bots) learnBot(b.id, b.name);
  fillSelect($('an-bot'), [['', 'All bots'], ...bots.map((b) => [b.id, b.name])], d.bot_id || '');
  $('an-body').hidden = false;

  const o = d.outcomes;
  const cards = [
    ['an-total', 'Handoffs', String(d.total)],
    ['an-accepted', 'Accepted', String(o.accepted)],
    ['an-accept-p50', 'Time to accept (median)', duration(d.time_to_accept.p50_seconds)],
    ['an-accept-p90', 'Time to accept (90th percentile)', duration(d.time_to_accept.p90_seconds)],
    ['an-accept-max', 'Longest time to accept', duration(d.time_to_accept.max_seconds)],
    ['an-cancel-p50', 'Wait before cancelling (median)', duration(d.wait_before_cancel.p50_seconds)],
    ['an-offers', 'Lead-capture offers', String(d.lead_capture.offers)],
    ['an-tickets', 'Tickets created', String(d.lead_capture.tickets_created)],
  ];
  $('an-cards').replaceChildren(...cards.map(([id, label, value]) => h('div', null, h('dt', { text: label }), h('dd', { id, text: value }))));

  // Outcomes: one stacked bar, its legend, and the table with offline reasons beneath.
  const names = Object.keys(OUTCOME_LABELS);
  const total = names.reduce((n, k) => n + (o[k] || 0), 0);
  const summary = total
    ? 'Outcomes of ' + total + ' handoffs: ' + names.filter((k) => o[k]).map((k) => OUTCOME_LABELS[k].toLowerCase() + ' ' + o[k]).join(', ') + '.'
    : 'No handoffs in this range.';
  const chart = svg('svg', { viewBox: '0 0 600 28', role: 'img', 'aria-labelledby': 'an-outcomes-svg-title', preserveAspectRatio: 'none' });
  chart.append(svg('title', { id: 'an-outcomes-svg-title' }, summary));
  let x = 0;
  for (const k of names) {
    if (!o[k] || !total) continue;
    const w = (o[k] / total) * 600;
    chart.append(svg('rect', { x: x.toFixed(2), y: 0, width: w.toFixed(2), height: 28, class: 'an-o-' + k }));
    x += w;
  }
  if (!total) chart.append(svg('rect', { x: 0, y: 0, width: 600, height: 28, fill: '#f3f4f6' }));
  const legend = h('ul', { class: 'an-legend', 'aria-hidden': 'true' }, names.filter((k) => o[k]).map((k) => h('li', null, h('span', { class: 'an-swatch an-o-' + k }), OUTCOME_LABELS[k] + ' ' + o[k])));
  $('an-outcomes-chart').replaceChildren(chart, legend);
  const rows = [];
  for (const k of names) {
    rows.push(h('tr', { 'data-outcome': k }, h('td', { text: OUTCOME_LABELS[k] }), h('td', { text: String(o[k] || 0) })));
    if (k === 'offline') {
      for (const [reason, label] of Object.entries(OFFLINE_LABELS)) {
        const n = (d.offline_by_reason || {})[reason] || 0;
        rows.push(h('tr', { class: 'an-sub', 'data-reason': reason }, h('td', { text: label }), h('td', { text: String(n) })));
      }
    }
  }
  $('an-outcomes-table').tBodies[0].replaceChildren(...rows);

  // Hours of the day: 24 bars.
  const hours = d.by_hour || [];
  const peak = Math.max(0, ...hours);
  $('an-hours-zone').textContent = d.time_zone ? 'Hours in ' + d.time_zone + '.' : "Hours on each bot's own clock (its schedule's time zone).";
  const busiest = hours.indexOf(peak);
  const hoursSummary = peak
    ? 'Handoffs by hour of day: busiest ' + hourLabel(busiest) + ' with ' + peak + '; ' + hours.filter((n) => n > 0).length + ' of 24 hours had handoffs.'
    : 'Handoffs by hour of day: none in this range.';
  const W = 600, H = 180, top = 10, bottom = 22, left = 28, slot = (W - left) / 24;
  const hoursChart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'an-hours-svg-title' });
  hoursChart.append(svg('title', { id: 'an-hours-svg-title' }, hoursSummary));
  const scale = peak || 1;
  hoursChart.append(svg('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, stroke: '#e5e7eb' }));
  hoursChart.append(svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, String(peak)));
  hoursChart.append(svg('text', { x: left - 4, y: H - bottom, 'text-anchor': 'end' }, '0'));
  hours.forEach((n, hour) => {
    const barH = ((H - top - bottom) * n) / scale;
    const bar = svg('rect', { x: (left + hour * slot + 2).toFixed(2), y: (H - bottom - barH).toFixed(2), width: (slot - 4).toFixed(2), height: barH.toFixed(2), class: 'an-bar', 'data-hour': hour });
    bar.append(svg('title', null, hourLabel(hour) + ': ' + n));
    hoursChart.append(bar);
    if (hour % 3 === 0) hoursChart.append(svg('text', { x: (left + hour * slot + slot / 2).toFixed(2), y: H - 6, 'text-anchor': 'middle' }, String(hour).padStart(2, '0')));
  });
  $('an-hours-chart').replaceChildren(hoursChart);
  $('an-hours-table').tBodies[0].replaceChildren(...hours.map((n, hour) => h('tr', null, h('td', { text: hourLabel(hour) + '–' + String(hour).padStart(2, '0') + ':59' }), h('td', { text: String(n) }))));

  $('an-triggers-table').tBodies[0].replaceChildren(...Object.entries(TRIGGER_LABELS).map(([k, label]) => h('tr', { 'data-trigger': k }, h('td', { text: label }), h('td', { text: String((d.by_trigger || {})[k] || 0) }))));

  const agents = d.agents || [];
  $('an-agents-table').tBodies[0].replaceChildren(...agents.map((a) => h('tr', { 'data-agent': a.agent_id }, h('td', { text: a.name || 'Agent ' + shortId(a.agent_id) }), h('td', { text: String(a.accepted) }), h('td', { text: String(a.resolved) }), h('td', { text: duration(a.first_response_p50_seconds) }))));
  $('an-agents-table').hidden = agents.length === 0;
  $('an-agents-empty').hidden = agents.length > 0;
}

export function wireAnalytics() {
  $('an-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    loadAnalytics();
  });
  for (const b of document.querySelectorAll('.an-presets button')) {
    b.addEventListener('click', () => {
      setPreset(Number(b.dataset.days));
      loadAnalytics();
    });
  }
  $('an-bot').addEventListener('change', loadAnalytics);
}
