import { compileUntrustedRegex, type UntrustedRegex } from '../regex/compile-untrusted-regex.ts';

/**
 * Go's time.Parse for the layouts Kyverno's `time_parse` is given: the reference time
 * `Mon Jan 2 15:04:05 MST 2006` written in the wanted format (`2006-01-02`, `02 Jan 06 15:04 MST`,
 * `Mon, 02 Jan 2006 15:04:05 -0700`, ...). A layout of digits only means Unix seconds.
 */
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

type Field =
  | 'year'
  | 'year2'
  | 'month'
  | 'monthName'
  | 'day'
  | 'hour'
  | 'hour12'
  | 'minute'
  | 'second'
  | 'fraction'
  | 'ampm'
  | 'zone'
  | 'zoneName'
  | 'skip';

/** Layout tokens, longest first, with the regex each matches in the value. */
const TOKENS: [string, Field, string][] = [
  ['January', 'monthName', '[A-Za-z]+'],
  ['Monday', 'skip', '[A-Za-z]+'],
  ['Z07:00', 'zone', 'Z|[+-]\\d{2}:\\d{2}'],
  ['-07:00', 'zone', '[+-]\\d{2}:\\d{2}'],
  ['Z0700', 'zone', 'Z|[+-]\\d{4}'],
  ['-0700', 'zone', '[+-]\\d{4}'],
  ['Z07', 'zone', 'Z|[+-]\\d{2}'],
  ['-07', 'zone', '[+-]\\d{2}'],
  ['2006', 'year', '\\d{4}'],
  ['Jan', 'monthName', '[A-Za-z]{3}'],
  ['Mon', 'skip', '[A-Za-z]{3}'],
  ['MST', 'zoneName', '[A-Z]{3,4}|[+-]\\d{2,4}'],
  ['_2', 'day', ' ?\\d{1,2}'],
  ['01', 'month', '\\d{2}'],
  ['02', 'day', '\\d{2}'],
  ['03', 'hour12', '\\d{2}'],
  ['04', 'minute', '\\d{2}'],
  ['05', 'second', '\\d{2}'],
  ['06', 'year2', '\\d{2}'],
  ['15', 'hour', '\\d{2}'],
  ['PM', 'ampm', '[AP]M'],
  ['pm', 'ampm', '[ap]m'],
  ['1', 'month', '\\d{1,2}'],
  ['2', 'day', '\\d{1,2}'],
  ['3', 'hour12', '\\d{1,2}'],
  ['4', 'minute', '\\d{1,2}'],
  ['5', 'second', '\\d{1,2}'],
];

const cache = new Map<string, { re: UntrustedRegex; fields: Field[] }>();

/** The layout (a policy's text) as a linear-time regex: `1111…` layouts must not backtrack. */
function compileLayout(layout: string): { re: UntrustedRegex; fields: Field[] } {
  let compiled = cache.get(layout);
  if (compiled) return compiled;
  let source = '^';
  const fields: Field[] = [];
  for (let i = 0; i < layout.length; ) {
    const frac = /^[.,](0+|9+)/.exec(layout.slice(i));
    if (frac && !/\d/.test(layout[i + frac[0].length] ?? '')) {
      source += frac[1]!.startsWith('9') ? '(?:[.,](\\d+))?' : `[.,](\\d{${frac[1]!.length}})`;
      fields.push('fraction');
      i += frac[0].length;
      continue;
    }
    const token = TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token) {
      source += `(${token[2]})`;
      fields.push(token[1]);
      i += token[0].length;
      continue;
    }
    source += layout[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  // Go accepts fractional seconds after seconds even when the layout has none.
  const re = compileUntrustedRegex(`${source}$`);
  if (!re.ok) throw new Error(`time_parse: layout ${JSON.stringify(layout)}: ${re.error}`);
  compiled = { re: re.regex, fields };
  if (cache.size > 2000) cache.clear();
  cache.set(layout, compiled);
  return compiled;
}

/** Parses `value` with a Go layout; returns the instant (UTC milliseconds) or throws. */
export function parseGoTime(layout: string, value: string): number {
  if (/^\d+$/.test(layout)) {
    if (!/^-?\d+$/.test(value)) throw new Error(`time_parse: ${JSON.stringify(value)} is not Unix seconds`);
    return Number(value) * 1000;
  }
  const { re, fields } = compileLayout(layout);
  const m = re.find(value);
  if (!m) throw new Error(`time_parse: cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layout)}`);
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | undefined;
  let offsetMinutes = 0;
  fields.forEach((field, idx) => {
    const text = m[idx + 1];
    if (text === undefined) return;
    switch (field) {
      case 'year':
        year = Number(text);
        break;
      case 'year2':
        year = Number(text) + (Number(text) >= 69 ? 1900 : 2000);
        break;
      case 'month':
        month = Number(text);
        break;
      case 'monthName': {
        const i = MONTHS.findIndex(
          (n) =>
            n.toLowerCase().startsWith(text.toLowerCase()) && (text.length === 3 || n.length === text.length),
        );
        if (i < 0) throw new Error(`time_parse: unknown month ${JSON.stringify(text)}`);
        month = i + 1;
        break;
      }
      case 'day':
        day = Number(text.trim());
        break;
      case 'hour':
      case 'hour12':
        hour = Number(text);
        break;
      case 'minute':
        minute = Number(text);
        break;
      case 'second':
        second = Number(text);
        break;
      case 'fraction':
        ms = Math.round(Number(`0.${text}`) * 1000);
        break;
      case 'ampm':
        pm = text.toUpperCase() === 'PM';
        break;
      case 'zone': {
        if (text === 'Z') break;
        const digits = text.replace(':', '');
        const sign = digits.startsWith('-') ? -1 : 1;
        offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0'));
        break;
      }
      default:
        break; // weekday names and zone abbreviations (Go treats unknown abbreviations as UTC)
    }
  });
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`time_parse: ${JSON.stringify(value)} is out of range`);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime() - offsetMinutes * 60_000;
}
