// Rate limits of the endpoints that take secrets (unit links, sign-in links) or send mail (sign-in requests).
// Per client address; a 256-bit token cannot be guessed anyway, the limits stop floods and mail-bombing.
export interface RouteLimit {
  max: number;
  timeWindow: number | string;
}

export interface RouteLimits {
  /** GET/POST of /t/:token and /signin/:token (and their /api twins) */
  token: RouteLimit;
  /** asking for a sign-in email */
  signinRequest: RouteLimit;
}

export const DEFAULT_ROUTE_LIMITS: RouteLimits = {
  token: { max: 120, timeWindow: '1 minute' },
  signinRequest: { max: 10, timeWindow: '15 minutes' },
};
