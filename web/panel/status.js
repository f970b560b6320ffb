/*
 * The agent's own status: online or away.
 */

import { $ } from '../shared/dom.js';
import { api, describe } from './http.js';
import { toast } from './notify.js';
import { S } from './state.js';

export function paintStatus() {
  const status = S.agent ? S.agent.status : 'away';
  $('status-online').setAttribute('aria-pressed', String(status === 'online'));
  $('status-away').setAttribute('aria-pressed', String(status === 'away'));
}

export async function setStatus(status) {
  if (!S.agent || S.agent.status === status) return;
  const before = S.agent.status;
  S.agent.status = status;
  paintStatus();
  try {
    await api('POST', '/me/status', { status });
  } catch (err) {
    S.agent.status = before;
    paintStatus();
    toast('Could not change your status', describe(err), { kind: 'error' });
  }
}

export function isAvailable() {
  return S.agent && S.agent.status === 'online' && S.wsReady;
}
