/*
 * The panel's sections (chats, tickets, team, analytics, integrations) and switching between them.
 */

import { $ } from '../shared/dom.js';
import { hideSecret, loadIntegrations, loadOutbox } from './integrations.js';
import { isAdmin } from './session.js';
import { S } from './state.js';
import { hideTeamReveal } from './team.js';
import { loadTickets } from './tickets.js';

export function showView(view) {
  if (view === 'integrations' && !isAdmin()) view = 'chats';
  S.view = view;
  $('chats-view').hidden = view !== 'chats';
  $('tickets-view').hidden = view !== 'tickets';
  $('integrations-view').hidden = view !== 'integrations';
  $('team-view').hidden = view !== 'team';
  $('analytics-view').hidden = view !== 'analytics';
  for (const b of document.querySelectorAll('.views button')) b.setAttribute('aria-current', b.dataset.view === view ? 'page' : 'false');
  if (view !== 'integrations') hideSecret();
  if (view !== 'team') hideTeamReveal();
}

export function showChats() {
  showView('chats');
  history.replaceState(null, '', S.current ? '#c=' + S.current : location.pathname);
}

export function showTickets() {
  showView('tickets');
  history.replaceState(null, '', S.currentTicket ? '#t=' + S.currentTicket : '#tickets');
  loadTickets();
}

export function showIntegrations() {
  if (!isAdmin()) return;
  showView('integrations');
  history.replaceState(null, '', '#integrations');
  loadIntegrations();
  loadOutbox();
}
