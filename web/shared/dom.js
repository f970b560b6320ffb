/*
 * DOM helpers shared by the Live Chat panel and the Agent Editor. Text is only ever inserted as
 * text nodes or through textContent, never parsed as HTML (the pages run under a strict CSP).
 */

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * Builds an element. Strings among the children become text nodes (never HTML). `class`,
 * `text`, `value` and `checked` set the matching properties, `on…` adds a listener, anything
 * else becomes an attribute (`true` an empty one; false, null and undefined none).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'value') el.value = value;
    else if (name === 'checked') el.checked = Boolean(value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}
