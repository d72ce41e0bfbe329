import { InvalidInputError, TooLargeError } from '../kernel/errors';

/** The largest body a route reads: a plan at DynamoDB's 400 KB item limit fits with room to spare. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const BODY_TOO_LARGE = `Request body is larger than ${MAX_BODY_BYTES} bytes.`;

/** The deepest nesting a body may have: Karbor's documents need a handful; deeper ones cost stack on every read. */
export const MAX_BODY_DEPTH = 32;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Checks a JSON body in one pass before it is parsed, so hostile input costs
 * what any request costs: too big is a 413, nested deeper than
 * MAX_BODY_DEPTH, holding an integer JSON.parse would round (beyond 2^53)
 * or an empty key (DynamoDB refuses an empty map key: the write would fail
 * with a 500) is a 400. The messages never quote the body.
 */
export const guardJsonBody = (raw: string): void => {
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) throw new TooLargeError(BODY_TOO_LARGE);
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) {
        inString = false;
        if (i === stringStart + 1) {
          // An empty string followed (after any whitespace) by a colon is an empty key.
          let j = i + 1;
          while (j < raw.length && (raw[j] === ' ' || raw[j] === '\t' || raw[j] === '\n' || raw[j] === '\r')) j += 1;
          if (raw[j] === ':') throw new InvalidInputError('Request body holds an empty key, which cannot be stored.');
        }
      }
      continue;
    }
    if (c === 0x22) {
      inString = true;
      stringStart = i;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > MAX_BODY_DEPTH) throw new InvalidInputError(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // A number: an integer literal beyond 2^53 would be stored rounded.
      let j = i + 1;
      while (j < raw.length && /[0-9.eE+-]/.test(raw[j])) j += 1;
      const token = raw.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && (BigInt(token) > MAX_SAFE || BigInt(token) < -MAX_SAFE)) {
        throw new InvalidInputError('Request body holds an integer beyond 2^53, which cannot be kept exactly.');
      }
      i = j - 1;
    }
  }
};

/**
 * A `__proto__` key cannot be kept: the DynamoDB marshaller assigns map keys,
 * so it would set a prototype instead and the write fails (a 500). Karbor
 * accepts it as a metadata key; we refuse it, wherever it sits in the body.
 */
const refuseProtoKey = (key: string, value: unknown): unknown => {
  if (key === '__proto__') throw new InvalidInputError("Request body holds the key '__proto__', which cannot be stored.");
  return value;
};

/** Parses a JSON body after guardJsonBody's checks; anything JSON.parse refuses is a 400. */
export const parseJsonBody = (raw: string): unknown => {
  guardJsonBody(raw);
  try {
    return JSON.parse(raw, refuseProtoKey);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError('Malformed request body');
  }
};
