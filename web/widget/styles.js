/*
 * The widget's styles, scoped to its shadow root.
 */

const CSS_TEXT = `
:host { all: initial; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root {
  --accent: #2563eb; --accent-text: #fff; --bg: #fff; --fg: #111827; --muted: #6b7280;
  --bot-bg: #f3f4f6; --agent-bg: #ecfdf5; --agent-border: #10b981; --line: #e5e7eb;
  --danger: #b91c1c; --warn-bg: #fff7ed; --warn-border: #f59e0b;
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); text-align: left; direction: ltr;
}
.root.left { right: auto; left: 20px; }
button { font: inherit; cursor: pointer; }
/* A two-tone ring (dark inside, white outside) reads at 3:1 or more on any page and on the accent. */
button:focus-visible, textarea:focus-visible, input:focus-visible, .log:focus-visible { outline: 3px solid #111827; outline-offset: 1px; box-shadow: 0 0 0 4px #fff; }
.head button:focus-visible, .launcher:focus-visible { outline-color: #fff; box-shadow: 0 0 0 4px #111827; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.launcher {
  width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-text);
  box-shadow: 0 6px 20px rgba(0,0,0,.22); display: grid; place-items: center; position: relative; margin-left: auto;
  transition: transform .15s ease;
}
.root.left .launcher { margin-left: 0; }
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  background: #dc2626; color: #fff; font-size: 12px; font-weight: 700; display: grid; place-items: center;
}
.panel {
  position: absolute; bottom: 76px; right: 0; width: 380px; height: min(620px, calc(100vh - 110px));
  background: var(--bg); border-radius: 16px; box-shadow: 0 12px 48px rgba(0,0,0,.25); overflow: hidden;
  display: flex; flex-direction: column; border: 1px solid var(--line);
}
.root.left .panel { right: auto; left: 0; }
.head { background: var(--accent); color: var(--accent-text); padding: 14px 12px 14px 16px; display: flex; align-items: center; gap: 12px; }
.avatar { width: 38px; height: 38px; border-radius: 50%; background: rgba(255,255,255,.22); display: grid; place-items: center; flex: none; }
.avatar svg { width: 22px; height: 22px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.titles { flex: 1; min-width: 0; }
.titles h2 { margin: 0; font-size: 16px; font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.titles p { margin: 2px 0 0; font-size: 13px; }
.titles p.status { display: flex; align-items: center; gap: 6px; font-size: 12.5px; opacity: 1; }
.status .dot { width: 8px; height: 8px; border-radius: 50%; flex: none; background: #d1d5db; box-shadow: 0 0 0 2px rgba(255,255,255,.35); }
.status[data-kind="online"] .dot { background: #22c55e; }
.status[data-kind="away"] .dot, .status[data-kind="busy"] .dot { background: #f59e0b; }
.status .status-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.close { background: transparent; border: 0; color: inherit; width: 36px; height: 36px; border-radius: 8px; display: grid; place-items: center; }
.close:hover { background: rgba(255,255,255,.18); }
.close svg { width: 20px; height: 20px; stroke: currentColor; stroke-width: 2.2; stroke-linecap: round; }
.conn { background: #fef3c7; color: #92400e; font-size: 13px; padding: 6px 14px; border-bottom: 1px solid #fde68a; }
.banner { background: var(--warn-bg); border-bottom: 1px solid #fed7aa; padding: 10px 14px; font-size: 14px; display: flex; gap: 10px; align-items: center; }
.banner .text { flex: 1; }
.banner strong { display: block; }
.link-button { background: transparent; border: 1px solid var(--line); border-radius: 999px; padding: 5px 12px; font-size: 13px; color: var(--fg); background: #fff; white-space: nowrap; }
.link-button:hover { border-color: var(--accent); color: var(--accent); }
.log-region { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.log { list-style: none; margin: 0; padding: 14px 12px; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: 8px; overscroll-behavior: contain; }
.msg { display: flex; flex-direction: column; max-width: 84%; }
.msg .who { font-size: 12px; color: var(--muted); margin: 0 4px 2px; }
.msg .who .tag { display: inline-block; font-size: 10px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; padding: 0 5px; border-radius: 4px; margin-left: 4px; vertical-align: 1px; }
.msg .bubble { padding: 9px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg .sub { font-size: 11px; color: var(--muted); margin: 2px 6px 0; }
.msg.visitor { align-self: flex-end; align-items: flex-end; }
.msg.visitor .bubble { background: var(--accent); color: var(--accent-text); border-bottom-right-radius: 4px; }
.msg.bot { align-self: flex-start; }
.msg.bot .bubble { background: var(--bot-bg); border-bottom-left-radius: 4px; }
.msg.bot .tag { background: #e0e7ff; color: #3730a3; }
.msg.agent { align-self: flex-start; }
.msg.agent .bubble { background: var(--agent-bg); border: 1px solid var(--agent-border); border-bottom-left-radius: 4px; }
.msg.agent .tag { background: #d1fae5; color: #065f46; }
.msg.pending .bubble { opacity: .65; }
.msg.draft .bubble:empty::before { content: "…"; color: var(--muted); }
.msg.draft .sub .dots span { display: inline-block; width: 4px; height: 4px; margin-left: 2px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite both; }
.msg.draft .sub .dots span:nth-child(2) { animation-delay: .2s; }
.msg.draft .sub .dots span:nth-child(3) { animation-delay: .4s; }
.msg.failed .bubble { background: #fee2e2; color: var(--danger); border: 1px solid #fca5a5; }
.msg.failed .sub { color: var(--danger); }
.msg .sub button { background: none; border: 0; padding: 0 2px; min-height: 24px; margin-left: 6px; color: inherit; text-decoration: underline; font-size: 11px; font-weight: 600; }
.sys { align-self: center; max-width: 92%; text-align: center; font-size: 13px; color: var(--muted); padding: 4px 10px; }
.sys.important { color: var(--fg); background: var(--warn-bg); border: 1px solid #fed7aa; border-radius: 10px; padding: 8px 12px; }
.sys.joined { color: #065f46; font-weight: 600; }
.sys.retry { color: var(--danger); background: #fef2f2; border: 1px solid #fecaca; border-radius: 10px; padding: 8px 12px; }
.sys.captured { color: #065f46; background: #ecfdf5; border: 1px solid #a7f3d0; border-radius: 10px; padding: 8px 12px; }
.sys.declined { font-style: italic; }
.lead {
  align-self: stretch; background: #fff; border: 1px solid var(--line); border-left: 3px solid var(--accent);
  border-radius: 12px; padding: 10px 12px; font-size: 14px;
}
.lead-prompt { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.lead-form { display: flex; flex-direction: column; gap: 3px; margin-top: 8px; }
.lead-form label { font-size: 12px; font-weight: 600; color: var(--muted); margin-top: 5px; }
.lead-form label .opt { font-weight: 400; }
.lead-form input, .lead-form textarea {
  font: inherit; font-size: 14px; color: var(--fg); background: #fff; width: 100%;
  border: 1px solid var(--line); border-radius: 8px; padding: 7px 10px;
}
.lead-form textarea { flex: none; resize: vertical; min-height: 58px; max-height: 160px; }
.lead-form [aria-invalid="true"] { border-color: var(--danger); background: #fffafa; }
.field-error { color: var(--danger); font-size: 12.5px; }
.field-error:empty, .form-error:empty { display: none; }
.form-error { color: var(--danger); font-size: 13px; margin-top: 6px; }
.lead-buttons { display: flex; gap: 8px; margin-top: 8px; align-items: center; flex-wrap: wrap; }
.lead-submit { background: var(--accent); color: var(--accent-text); border: 0; border-radius: 999px; padding: 7px 18px; font-weight: 600; }
.lead-submit:disabled, .lead-decline:disabled { opacity: .6; cursor: progress; }
.lead-decline { background: transparent; border: 0; color: var(--muted); text-decoration: underline; padding: 7px 4px; font-size: 13px; }
.lead-done { margin: 8px 0 0; font-size: 13px; color: #065f46; font-weight: 600; overflow-wrap: anywhere; }
.lead-done.declined { color: var(--muted); font-weight: 400; }
.typing { padding: 0 16px 6px; font-size: 13px; color: var(--muted); min-height: 0; }
.typing .dots span { display: inline-block; width: 5px; height: 5px; margin-left: 2px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite both; }
.typing .dots span:nth-child(2) { animation-delay: .2s; }
.typing .dots span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .2; } 40% { opacity: 1; } }
.actions { padding: 0 12px 8px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.transcript-form { display: flex; gap: 6px; flex: 1 1 100%; }
.transcript-form input { flex: 1; min-width: 0; min-height: 32px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
.transcript-form button { min-height: 32px; padding: 0 12px; border: 0; border-radius: 8px; background: var(--accent); color: var(--on-accent, #fff); font: inherit; cursor: pointer; }
.transcript-status { font-size: 13px; }
.human-button { display: inline-flex; align-items: center; gap: 6px; }
.human-button svg { width: 16px; height: 16px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.text-button { background: transparent; border: 0; padding: 5px 4px; font-size: 12.5px; color: var(--muted); text-decoration: underline; text-underline-offset: 2px; }
.text-button:hover { color: var(--accent); }
.text-button:disabled { opacity: .6; cursor: progress; }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line); }
textarea {
  flex: 1; resize: none; border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px; font: inherit; color: var(--fg);
  background: #fff; max-height: 140px; min-height: 40px; line-height: 1.4;
}
textarea[aria-invalid="true"] { border-color: var(--danger); }
.send { width: 40px; height: 40px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-text); display: grid; place-items: center; flex: none; }
.send:disabled { opacity: .45; cursor: not-allowed; }
.attach { width: 40px; height: 40px; border-radius: 50%; border: 1px solid var(--line); background: transparent; color: inherit; display: grid; place-items: center; flex: none; cursor: pointer; }
.attach svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.bubble .file-thumb { display: block; max-width: 220px; max-height: 220px; border-radius: 8px; }
.bubble .file-link { color: inherit; text-decoration: underline; word-break: break-all; }
.send svg { width: 20px; height: 20px; fill: currentColor; }
.foot { display: flex; justify-content: space-between; gap: 8px; padding: 0 14px 8px; font-size: 12px; color: var(--muted); min-height: 8px; }
.foot .error { color: var(--danger); }
.foot .counter.over { color: var(--danger); font-weight: 600; }
.brand { text-align: center; font-size: 11px; color: var(--muted); padding: 0 0 8px; }
@media (max-width: 480px) {
  .root { bottom: 14px; right: 14px; }
  .root.left { left: 14px; }
  .root.open .launcher { display: none; }
  .panel { position: fixed; inset: 0; width: auto; height: auto; border-radius: 0; border: 0; }
}
@media (prefers-reduced-motion: reduce) { .launcher { transition: none; } .typing .dots span, .msg.draft .sub .dots span { animation: none; opacity: .6; } }
`;
