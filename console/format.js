/** How numbers and instants read on screen. Missing values read as an em dash. */
const DASH = '—';
const DATE_TIME = {
  long: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
  short: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
};
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 });

/** A `<time>` element for an ISO instant (`short` for table cells), with the exact instant as its tooltip. */
export function time(iso, style = 'long') {
  if (!iso) return DASH;
  const element = document.createElement('time');
  element.dateTime = iso;
  element.title = iso;
  element.textContent = DATE_TIME[style].format(new Date(iso));
  return element;
}

export const share = (value) => (value === null || value === undefined ? DASH : percent.format(value));

export function milliseconds(value) {
  if (value === null || value === undefined) return DASH;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${value < 10 && !Number.isInteger(value) ? value.toFixed(1) : Math.round(value)} ms`;
}

export function seconds(value) {
  if (value === null || value === undefined) return DASH;
  if (value < 60) return `${Math.round(value)} s`;
  if (value < 3600) return `${Math.round(value / 60)} min`;
  if (value < 2 * 86400) return `${(value / 3600).toFixed(1)} h`;
  return `${(value / 86400).toFixed(1)} days`;
}

/** A counter change with its sign: `+2`, `−2`, `0`. */
export const delta = (value) => (value > 0 ? `+${value}` : value < 0 ? `−${-value}` : '0');

/** A `datetime-local` input's value (local time) as an ISO instant, or undefined when empty. */
export const isoFromLocal = (value) => (value ? new Date(value).toISOString() : undefined);

export const orDash = (value) => (value === null || value === undefined || value === '' ? DASH : value);
