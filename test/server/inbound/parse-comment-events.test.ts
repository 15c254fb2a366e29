import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseGitHubCommentEvent } from '../../../src/server/inbound/parse-github-comment-event.ts';
import { parseGitLabNoteEvent } from '../../../src/server/inbound/parse-gitlab-note-event.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const issueComments = examples.find((e) => e.name === 'issue_comment')!.examples;
const gitlab = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/gitlab/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

function githubExample(action: string, body: string, extra: Record<string, unknown> = {}) {
  const example = structuredClone(issueComments.find((e) => e.action === action)!) as {
    comment: { body: string };
  } & Record<string, unknown>;
  example.comment.body = body;
  return { ...example, ...extra };
}

describe('parseGitHubCommentEvent (issue_comment examples from @octokit/webhooks-examples)', () => {
  it('queues a new comment that holds a command, on a pull request or an issue', () => {
    const example = githubExample('created', '/tollgate rollback production');
    const pr = { ...example, issue: { ...(example.issue as object), pull_request: { url: 'x' } } };
    expect(parseGitHubCommentEvent(pr)).toMatchObject({
      action: 'command',
      job: {
        platform: 'github',
        project: 'Codertocat/Hello-World',
        thread: { number: 1, kind: 'merge_request' },
        comment: { id: 492700400, body: '/tollgate rollback production' },
        author: { login: 'Codertocat', id: 21031067 },
        defaultBranch: 'master',
      },
    });
    expect(parseGitHubCommentEvent(example)).toMatchObject({ job: { thread: { kind: 'issue' } } });
  });

  it('ignores edits, deletions, bots and comments without a command', () => {
    expect(parseGitHubCommentEvent(githubExample('edited', '/tollgate rollback production')).action).toBe(
      'ignore',
    );
    expect(parseGitHubCommentEvent(githubExample('deleted', '/tollgate rollback production')).action).toBe(
      'ignore',
    );
    const bot = githubExample('created', '/tollgate help');
    (bot.sender as { type: string }).type = 'Bot';
    expect(parseGitHubCommentEvent(bot)).toEqual({
      action: 'ignore',
      reason: 'comments by bots do not run commands',
    });
    expect(
      parseGitHubCommentEvent(
        githubExample('created', "You are totally right! I'll get this fixed right away."),
      ).action,
    ).toBe('ignore');
  });
});

describe('parseGitLabNoteEvent (Note Hook payloads shaped as GitLab documents them)', () => {
  it('queues new notes on merge requests and issues', () => {
    expect(parseGitLabNoteEvent(gitlab('note-merge-request-created'))).toMatchObject({
      action: 'command',
      job: {
        platform: 'gitlab',
        project: 'gitlab-org/gitlab-test',
        projectId: 5,
        thread: { number: 1, kind: 'merge_request' },
        comment: { id: 1244, url: 'http://example.com/gitlab-org/gitlab-test/merge_requests/1#note_1244' },
        author: { login: 'root', id: 1 },
        defaultBranch: 'master',
      },
    });
    expect(parseGitLabNoteEvent(gitlab('note-issue-created'))).toMatchObject({
      job: { thread: { number: 17, kind: 'issue' } },
    });
  });

  it('ignores edited notes, system notes and bot users', () => {
    expect(parseGitLabNoteEvent(gitlab('note-merge-request-updated'))).toEqual({
      action: 'ignore',
      reason: 'note update does not run commands',
    });
    const system = gitlab('note-merge-request-created') as { object_attributes: { system: boolean } };
    system.object_attributes.system = true;
    expect(parseGitLabNoteEvent(system).action).toBe('ignore');
    const bot = gitlab('note-merge-request-created') as { user: { username: string } };
    bot.user.username = 'project_5_bot_3f1c2a';
    expect(parseGitLabNoteEvent(bot)).toMatchObject({ reason: 'comments by bots do not run commands' });
  });
});
