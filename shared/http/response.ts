import type { KarborResult } from './event';

/** Marks a success whose body is zero-length (Karbor's plan/trigger deletes). */
export const EMPTY_BODY = Symbol('empty body');

/** Every Karbor response is JSON, empty bodies included. */
export const jsonResponse = (statusCode: number, body: unknown): KarborResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json' },
  body: body === EMPTY_BODY ? '' : JSON.stringify(body),
});
