import type { Scope, ScopedMatch } from './index-scoped-matches.ts';
import { describeGrpcRequest, describeHttpRequest } from './normalize-route-match.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';

function describeRequest(entry: ScopedMatch): string {
  const { match, hostname, attachment } = entry;
  if (match.http) return describeHttpRequest(match.http, hostname);
  if (match.grpc) return describeGrpcRequest(match.grpc, hostname);
  const kind = attachment.route.kind;
  if (kind === 'TLSRoute') return `A TLS connection for ${hostname || '<any SNI>'}`;
  return `A ${kind === 'UDPRoute' ? 'UDP datagram' : 'TCP connection'}`;
}

/**
 * Matches from different rules with the same normalised key in the same scope: all but one are
 * dead. One finding per (scope, key) group; its objects are the distinct Routes involved.
 */
export function findDuplicateMatches(scopes: Iterable<Scope>): RouteFinding[] {
  const findings: RouteFinding[] = [];
  for (const scope of scopes) {
    const byKey = new Map<string, ScopedMatch[]>();
    for (const entry of scope.entries) {
      const list = byKey.get(entry.match.key);
      if (list) list.push(entry);
      else byKey.set(entry.match.key, [entry]);
    }
    for (const group of byKey.values()) {
      if (group.length < 2) continue;
      const rules = new Map<string, ScopedMatch>();
      for (const e of group) {
        const k = `${e.attachment.route.id}#${e.rule.index}`;
        if (!rules.has(k)) rules.set(k, e);
      }
      if (rules.size < 2) continue;
      const members = [...rules.values()];
      const first = members[0]!;
      const { listener } = first.attachment;
      const who = members
        .map((e) => `rule ${e.rule.index + 1} of ${e.attachment.route.id}`)
        .join(members.length > 2 ? ', ' : ' and ');
      const routes = new Set(members.map((e) => e.attachment.route.id));
      const tail =
        routes.size === 1
          ? 'inside one Route the first matching rule wins, so the later rules never receive it'
          : 'all these Routes are Accepted, yet only one (the oldest) receives it';
      findings.push(
        makeRouteFinding(
          'duplicate-match',
          [...routes],
          `${describeRequest(first)} matches ${who} on listener ${listener.name} of ${listener.gateway.id}; ${tail}.`,
          members.map((e) => e.match.location),
        ),
      );
    }
  }
  return findings;
}
