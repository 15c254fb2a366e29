import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGitLabEvent } from '../../../src/server/inbound/parse-gitlab-event.ts';

const open = JSON.parse(
  readFileSync(new URL('../../fixtures/gitlab/merge-request-open.json', import.meta.url), 'utf8'),
);
const withAction = (action: string, extra: Record<string, unknown> = {}) => ({
  ...open,
  object_attributes: { ...open.object_attributes, action, ...extra },
});

describe('parseGitLabEvent', () => {
  it('queues a check for an opened merge request', () => {
    expect(parseGitLabEvent('Merge Request Hook', open)).toEqual({
      action: 'check',
      job: {
        platform: 'gitlab',
        project: 'gitlabhq/gitlab-test',
        projectId: 1,
        number: 1,
        headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        reason: 'merge_request.open',
      },
    });
  });

  it('checks an update only when new commits arrived', () => {
    expect(parseGitLabEvent('Merge Request Hook', withAction('update')).action).toBe('ignore');
    expect(parseGitLabEvent('Merge Request Hook', withAction('update', { oldrev: 'abc' })).action).toBe(
      'check',
    );
  });

  it.each(['close', 'merge', 'approved', 'unapproved'])('ignores action %s', (action) => {
    expect(parseGitLabEvent('Merge Request Hook', withAction(action)).action).toBe('ignore');
  });

  it('ignores other events and malformed payloads without throwing', () => {
    expect(parseGitLabEvent('Push Hook', open).action).toBe('ignore');
    expect(parseGitLabEvent('Merge Request Hook', null).action).toBe('ignore');
    expect(
      parseGitLabEvent('Merge Request Hook', {
        object_kind: 'merge_request',
        project: {},
        object_attributes: { action: 'open' },
      }),
    ).toEqual({
      action: 'ignore',
      reason: 'payload lacks project.id, object_attributes.iid or last_commit.id',
    });
  });
});
