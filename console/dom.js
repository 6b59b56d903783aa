/**
 * DOM building without HTML parsing: attributes go through setAttribute and children through append, so
 * text from the API is always inserted as text, never as markup.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}

/** An HTML element: `h('td', { class: 'num' }, text)`; `on…` attributes take listeners. */
export const h = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);

/** An SVG element, the same way. */
export const svg = (tag, attributes, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

/** A coloured label for an enumerated value (a hold status, a delivery status, a breaker state). */
export function badge(value) {
  const words = value.replace('_', ' ');
  return h('span', { class: `badge badge-${value}` }, words[0].toUpperCase() + words.slice(1));
}

/** A message box: `kind` is `info`, `success` or `error`. */
export const notice = (kind, ...text) => h('p', { class: `notice notice-${kind}` }, ...text);

/**
 * A message for a failed API call: its `detail`, which the gateway writes for people. A `not_found` code
 * means the route itself is missing (an older gateway), so `feature` is named as not available.
 */
export const errorNotice = (error, feature = 'This part of the console') =>
  error.code === 'not_found' ? notice('info', `${feature} is not available on this gateway.`) : notice('error', error.message);

/** A `<dl>` of label/value pairs. */
export const descriptionList = (pairs, attributes = {}) =>
  h('dl', { class: 'pairs', ...attributes }, pairs.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value))));
