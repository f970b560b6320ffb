/*
 * Signing in and out, the same way on every page: the login form (#login-email, #login-password,
 * #login-submit, #login-error) and POST /auth/login, /auth/logout (docs/api.md).
 */

import { $ } from './dom.js';
import { describe } from './api.js';

/**
 * The login form's submit handler: checks both fields are filled in, signs in, and hands the
 * agent and the CSRF token to `enter` (awaited); shows why when it fails.
 */
export function loginHandler(api, enter) {
  return async function login(ev) {
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
  };
}

/** Ends the session on the server; a gone cookie or a down server leaves the same way. */
export async function signOut(api) {
  try {
    await api('POST', '/auth/logout');
  } catch (_) {
    /* the cookie is gone or the server is down: either way, leave */
  }
}
