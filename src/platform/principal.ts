export const ROLES = ['admin', 'staff', 'inventory', 'partner', 'monitor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the API key that authenticated the request. */
export type Principal = {
  keyId: string;
  name: string;
  role: Role;
  partnerId: string | null;
  /** How the ledger and delivery history name this caller. */
  actor: string;
};

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function actorOf(keyId: string, name: string): string {
  return `${name}#${keyId.slice(0, 8)}`;
}
