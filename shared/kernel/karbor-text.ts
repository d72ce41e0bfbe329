/**
 * Python's `json.dumps` text (separators `", "` and `": "`, non-ASCII escaped),
 * which is how Karbor stores the JSON strings its views show
 * (`extra_info`, `resource_graph`, resources' `extra_info`).
 */
const pyString = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const pyJson = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyString(k)}: ${pyJson(v)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') return pyString(value);
  return JSON.stringify(value);
};

/** Python's `str()`/`repr()` of a JSON value, as Karbor's jsonschema messages show it. */
export const pyRepr = (value: unknown, top = false): string => {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  // Python's repr escapes backslashes and control characters (a pattern's newlines show as \n).
  if (typeof value === 'string') return top ? value : `'${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `'${k}': ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
};

/**
 * Karbor's text of a datetime: ISO 8601 to the microsecond without a zone
 * (`2026-11-28T06:27:15.123000`), as its views print the naive UTC datetimes
 * it stores. Takes a Date or a stored ISO string (missing milliseconds are 0).
 */
export const karborTime = (time: Date | string): string => {
  const iso = typeof time === 'string' ? time : time.toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23).padEnd(3, '0')}000`;
};

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS`, as Karbor stores a trigger's default start_time and prints next runs. */
export const formatKarborTime = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** Python's `str()` of a scalar, as Karbor stores parameter values (`true` -> `True`, `5` -> `5`). */
export const pyStr = (v: string | number | boolean): string => (v === true ? 'True' : v === false ? 'False' : String(v));
