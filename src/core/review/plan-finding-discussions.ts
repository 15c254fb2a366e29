import type { FindingThread } from './select-finding-threads.ts';

/** A Tollgate finding discussion already on the merge request. */
export interface ExistingFindingDiscussion {
  id: string;
  key: string;
  resolved: boolean;
  /** Resolved by the bot (a finding that went away), not by a person. */
  resolvedByBot: boolean;
}

export interface FindingDiscussionPlan {
  create: FindingThread[];
  /** Discussions whose finding is gone. */
  resolve: string[];
  /** Discussions the bot resolved earlier whose finding is back. */
  reopen: string[];
  /** Threads left for a later run by the cap. */
  deferred: number;
}

/**
 * What to write so that each wanted thread has one open discussion and every other Tollgate
 * discussion is resolved: nothing when they already agree (a rerun writes nothing). A discussion a
 * person resolved stays resolved. At most `maxWrites` writes per run, resolutions first.
 */
export function planFindingDiscussions(
  wanted: readonly FindingThread[],
  existing: readonly ExistingFindingDiscussion[],
  maxWrites: number,
): FindingDiscussionPlan {
  const wantedKeys = new Set(wanted.map((t) => t.key));
  const byKey = new Map<string, ExistingFindingDiscussion>();
  for (const d of existing) if (!byKey.has(d.key) || !d.resolved) byKey.set(d.key, d);
  const resolve = existing.filter((d) => !d.resolved && !wantedKeys.has(d.key)).map((d) => d.id);
  const reopen: string[] = [];
  const create: FindingThread[] = [];
  for (const thread of wanted) {
    const found = byKey.get(thread.key);
    if (!found) create.push(thread);
    else if (found.resolved && found.resolvedByBot) reopen.push(found.id);
  }
  let room = Math.max(0, maxWrites);
  const take = <T>(list: T[]): T[] => {
    const taken = list.slice(0, room);
    room -= taken.length;
    return taken;
  };
  const plan = { resolve: take(resolve), reopen: take(reopen), create: take(create) };
  const deferred =
    resolve.length +
    reopen.length +
    create.length -
    plan.resolve.length -
    plan.reopen.length -
    plan.create.length;
  return { ...plan, deferred };
}
