// Token scopes: Webex's for the Webex-compatible surface, Respite's own for the rest.
export const SCOPES = [
  'cjp:config_read',
  'cjp:config_write',
  'cjp:user',
  'respite:ingest',
  'respite:events',
  'respite:agents',
  'respite:admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Webex's organization ids are UUIDs (hyphens optional); the DTOs declare this pattern. */
export const ORG_ID_PATTERN = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
