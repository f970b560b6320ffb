/*
 * The panel's API client (web/shared/api.js) bound to its session, and errors in words.
 */

import { createApi, describe as describeError } from '../shared/api.js';
import { sessionExpired } from './session.js';
import { S } from './state.js';

/** Calls the API with the session's CSRF token; a 401 (other than a failed login) ends the session. */
export const api = createApi({
  csrf: () => S.csrf,
  networkMessage: 'The server cannot be reached. Check your connection.',
  onError(err, path) {
    if (err.status === 401 && S.agent && path !== '/auth/login') sessionExpired();
  },
});

/** An error in words; a 413 names the conversation's message size limit. */
export function describe(err) {
  return describeError(err, S.maxBytes);
}
