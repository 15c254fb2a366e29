import type { Attachment } from './resolve-attachments.ts';
import type { MatchModel, RuleModel } from './route-universe.ts';

/** One match of one rule as it applies in one scope (Gateway, listener, intersected hostname). */
export interface ScopedMatch {
  attachment: Attachment;
  rule: RuleModel;
  match: MatchModel;
  /** The intersected hostname (`''` = any). */
  hostname: string;
}

export interface Scope {
  key: string;
  hostname: string;
  entries: ScopedMatch[];
}

/**
 * Groups every match of every successful attachment by scope, the unit inside which matches compete:
 * different hostnames, listeners or Gateways never collide. Linear in the number of matches.
 */
export function indexScopedMatches(attachments: readonly Attachment[]): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  for (const attachment of attachments) {
    const { listener, route } = attachment;
    for (const hostname of attachment.hostnames) {
      const key = `${listener.gateway.id}|${listener.index}|${hostname}`;
      let scope = scopes.get(key);
      if (!scope) {
        scope = { key, hostname, entries: [] };
        scopes.set(key, scope);
      }
      for (const rule of route.rules) {
        for (const match of rule.matches) scope.entries.push({ attachment, rule, match, hostname });
      }
    }
  }
  return scopes;
}
