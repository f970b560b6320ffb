/*
 * The editor's state, one object shared by every tool (they change its fields, never the object).
 */

export const S = {
  agent: null,
  csrf: null,
  bots: [],
  botId: null,
  botName: '',
  timezones: [],
  tzByLower: new Map(),
  /** The form's current contents (see fromServer). */
  model: null,
  /** JSON of the request body of what is saved on the server: the baseline for "unsaved". */
  saved: null,
  /** The last response of GET/PUT handoff, for "Discard changes". */
  savedData: null,
  /** Problems to show: [{field, message}]. */
  errors: [],
  errorNote: '',
  saving: false,
  justSaved: false,
  uid: 0,
  serverAvail: null,
  serverAvailError: '',
  copySource: null,
  onDiscard: null,
  previewTimer: null,
  /** Counts preview requests, so that only the latest answer is shown. */
  previewAsks: 0,
  /** The server's limits (GET /limits), once an admin has signed in: see limits.js. */
  limits: null,
  tick: null,
  tzMatches: [],
  tzActive: -1,
  tzNotice: '',
};
