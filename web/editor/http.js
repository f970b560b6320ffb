/*
 * The editor's API client (web/shared/api.js) bound to its session.
 */

import { createApi } from '../shared/api.js';
import { sessionExpired, showDenied } from './session.js';
import { S } from './state.js';

/**
 * Calls the API with the session's CSRF token; a 401 (other than a failed login) ends the session,
 * a 403 means the agent is not an admin.
 */
export const api = createApi({
  csrf: () => S.csrf,
  networkMessage: 'The server cannot be reached. Check your connection and try again.',
  onError(err, path) {
    if (!S.agent || path === '/auth/login') return;
    if (err.status === 401) sessionExpired();
    else if (err.status === 403) showDenied();
  },
});
