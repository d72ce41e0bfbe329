/**
 * Thrown when a request carries no token. Not a fault: the faults middleware
 * answers Karbor's noauth "login" reply (204 with a token to use).
 */
export class LoginRequired extends Error {
  constructor() {
    super('login required');
    this.name = 'LoginRequired';
  }
}
