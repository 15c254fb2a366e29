import { readDiffLines } from '../../core/diff/read-diff-lines.ts';
import {
  type ExistingFindingDiscussion,
  planFindingDiscussions,
} from '../../core/review/plan-finding-discussions.ts';
import { readFindingThreadKey } from '../../core/review/select-finding-threads.ts';
import type { FindingDiscussionSync } from '../../usecases/ports/platform.ts';
import { PermanentPlatformError } from '../../usecases/ports/platform-errors.ts';
import { createGitLabRest, projectPath } from './gitlab-rest.ts';

/** Writes per run, so a merge request with many findings cannot spend the API rate limit. */
export const MAX_DISCUSSION_WRITES = 10;

interface DiscussionNote {
  id: number;
  body: string;
  system?: boolean;
  author: { id: number };
  resolvable?: boolean;
  resolved?: boolean;
  resolved_by?: { id: number } | null;
}

interface Discussion {
  id: string;
  notes: DiscussionNote[];
}

interface MergeRequestDiff {
  old_path: string;
  new_path: string;
  deleted_file: boolean;
  diff: string;
}

type Position = {
  base_sha: string;
  start_sha: string;
  head_sha: string;
  position_type: 'text';
  old_path: string;
  new_path: string;
  new_line: number;
  old_line?: number;
};

/**
 * GitLab merge request diff discussions for blocking findings: one per finding on its changed
 * line (found again by the hidden key in its first note), resolved when a later push fixes it.
 * Reads: the discussions (always), then the merge request's diff refs and diffs only when a
 * discussion is to be created.
 */
export function createGitLabFindingDiscussions(options: {
  host: string;
  token: string;
  projectId: number | string;
}): FindingDiscussionSync {
  const rest = createGitLabRest(options);
  const project = projectPath(options.projectId);
  let me: Promise<number> | undefined;
  const myUserId = () => {
    me ??= rest.get<{ id: number }>('/user').then((u) => u.id);
    return me;
  };

  return async (iid, headSha, threads) => {
    const mr = `${project}/merge_requests/${iid}`;
    const [userId, discussions] = await Promise.all([
      myUserId(),
      rest.getAll<Discussion>(`${mr}/discussions`),
    ]);
    const existing: ExistingFindingDiscussion[] = [];
    for (const d of discussions) {
      const first = d.notes[0];
      if (!first || first.system || first.author.id !== userId) continue;
      const key = readFindingThreadKey(first.body);
      if (!key) continue;
      existing.push({
        id: d.id,
        key,
        resolved: Boolean(first.resolved),
        resolvedByBot: first.resolved_by?.id === userId,
      });
    }
    let plan = planFindingDiscussions(threads, existing, MAX_DISCUSSION_WRITES);
    const positions = new Map<string, Position>();
    let skipped = 0;
    if (plan.create.length > 0) {
      const current = await rest.get<{
        sha: string;
        diff_refs?: { base_sha: string; head_sha: string; start_sha: string } | null;
      }>(mr);
      const refs = current.diff_refs;
      if (!refs || current.sha !== headSha || refs.head_sha !== headSha) return { superseded: true };
      const diffs = await rest.getAll<MergeRequestDiff>(`${mr}/diffs`);
      const byPath = new Map(diffs.filter((d) => !d.deleted_file).map((d) => [d.new_path, d]));
      for (const thread of threads) {
        const diff = byPath.get(thread.file);
        if (!diff) continue;
        const lines = readDiffLines(diff.diff);
        const oldLine = lines.context.get(thread.line);
        if (!lines.added.has(thread.line) && oldLine === undefined) continue;
        positions.set(thread.key, {
          base_sha: refs.base_sha,
          start_sha: refs.start_sha,
          head_sha: refs.head_sha,
          position_type: 'text',
          old_path: diff.old_path,
          new_path: diff.new_path,
          new_line: thread.line,
          ...(lines.added.has(thread.line) ? {} : { old_line: oldLine! }),
        });
      }
      // Findings on lines the merge request did not change stay in the comment and the status only.
      const placeable = threads.filter((t) => positions.has(t.key) || existing.some((d) => d.key === t.key));
      skipped = threads.length - placeable.length;
      plan = planFindingDiscussions(placeable, existing, MAX_DISCUSSION_WRITES);
    }

    const result = { created: 0, resolved: 0, reopened: 0, skipped, deferred: plan.deferred };
    for (const id of plan.resolve) {
      await rest.send('PUT', `${mr}/discussions/${id}?resolved=true`);
      result.resolved++;
    }
    for (const id of plan.reopen) {
      await rest.send('PUT', `${mr}/discussions/${id}?resolved=false`);
      result.reopened++;
    }
    for (const thread of plan.create) {
      try {
        await rest.send('POST', `${mr}/discussions`, {
          body: thread.body,
          position: positions.get(thread.key),
        });
        result.created++;
      } catch (error) {
        // GitLab refuses a position it cannot place (400); the finding is still in the comment.
        if (!(error instanceof PermanentPlatformError) || error.status !== 400) throw error;
        result.skipped++;
      }
    }
    return result;
  };
}
