/*
 * The client of Baton's HTTP API (docs/api.md), shared by the panel and the editor: JSON in and
 * out, the session cookie, the CSRF header on every change, and errors as the server sends them
 * (`{ "error": { "code", "message", "field", "errors" } }`) turned into an ApiError.
 */

import { capitalize } from './text.js';

export const API = '/api/v1';

/** A failed request: `status`, `code`, `field`, `errors` (field errors), `retryAfter` (s), or `network`. */
export class ApiError extends Error {
  constructor(message, fields) {
    super(message);
    Object.assign(this, fields);
  }
}

/**
 * An `api(method, path, body)` function. `options.csrf()` gives the session's CSRF token (or
 * null); `options.onError(err, path)` hears every error answer before it is thrown (to end the
 * session on a 401, say); `options.networkMessage` is what a request that never reached the
 * server says. A FormData body (a file) is sent as multipart, anything else as JSON.
 */
export function createApi(options) {
  return async function api(method, path, body) {
    const headers = {};
    // A FormData body (a file) sets its own multipart Content-Type.
    const form = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    const csrf = options.csrf();
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (_) {
      throw new ApiError(options.networkMessage, { network: true });
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
      if (options.onError) options.onError(err, path);
      throw err;
    }
    return data;
  };
}

/**
 * An error in words for the person using the page. `maxBytes`, when given, is the message size
 * limit a 413 names.
 */
export function describe(err, maxBytes) {
  if (err.network) return err.message;
  if (err.status === 413 && maxBytes !== undefined) return 'That message is too long (limit ' + maxBytes + ' bytes).';
  if (err.status === 429) {
    return err.retryAfter ? 'Too many requests; try again in ' + err.retryAfter + ' s.' : 'Too many requests; wait a moment.';
  }
  return capitalize(err.message || 'Something went wrong.');
}
