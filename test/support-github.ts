import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../src/adapters/github/github-request.ts';

/** An Octokit like the worker's (retries and throttling off), authenticated with a plain token. */
export function tokenOctokit(): GitHubClient {
  return new ProbotOctokit({
    auth: { token: 'ghs_test' },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as unknown as GitHubClient;
}

export function generatePrivateKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}

type Example = Record<string, unknown> & { installation?: { id: number } };

/** A payload from @octokit/webhooks-examples (GitHub's own examples), deep-copied. */
export function githubExample(event: string, match: (e: Example) => boolean): Example {
  const all = JSON.parse(
    readFileSync('node_modules/@octokit/webhooks-examples/api.github.com/index.json', 'utf8'),
  ) as { name: string; examples: Example[] }[];
  const found = all.find((e) => e.name === event)!.examples.find(match);
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}
