import { compileUntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import type { ValueMatch } from './normalize-route-match.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { RouteUniverse } from './route-universe.ts';

/**
 * RegularExpression paths, headers and query parameters of HTTP and gRPC routes that RE2 (what
 * Gateway API controllers compile them with) rejects: the controller refuses the rule, so the
 * route does not do what it says. One finding per invalid pattern, at its match.
 */
export function findInvalidRegexes(universe: RouteUniverse): RouteFinding[] {
  const findings: RouteFinding[] = [];
  for (const route of universe.routes) {
    for (const rule of route.rules) {
      for (const match of rule.matches) {
        const patterns: { what: string; pattern: string }[] = [];
        const http = match.http;
        if (http?.pathType === 'RegularExpression') patterns.push({ what: 'path', pattern: http.path });
        const values = (kind: string, list: readonly ValueMatch[] | undefined) => {
          for (const v of list ?? [])
            if (v.type === 'RegularExpression')
              patterns.push({ what: `${kind} ${v.name}`, pattern: v.value });
        };
        values('header', http?.headers ?? match.grpc?.headers);
        values('query parameter', http?.queryParams);
        for (const { what, pattern } of patterns) {
          const compiled = compileUntrustedRegex(pattern);
          if (compiled.ok) continue;
          findings.push(
            makeRouteFinding(
              'invalid-regex',
              [route.id],
              `The ${what} regular expression ${JSON.stringify(pattern)} (rule ${rule.index + 1}, match ${match.index + 1} of ${route.id}) is ${compiled.error}; controllers reject the rule.`,
              [match.location ?? rule.location ?? route.location],
            ),
          );
        }
      }
    }
  }
  return findings;
}
