import type { Role } from '../../core/chatops/decide-permission.ts';
import type { CommitRecord, DeploymentRecord, MergeRequestRecord } from '../../core/chatops/rollback-plan.ts';
import type { ChangeRequest, PlatformKind } from './platform.ts';

/** Where a command was written: a merge request or an issue, and the comment itself. */
export interface CommandThread {
  number: number;
  /** GitHub PR comments arrive as issue comments; GitLab needs to know which notes API to use. */
  kind: 'merge_request' | 'issue';
}

export interface CommandUser {
  /** GitHub login, GitLab username. */
  login: string;
  id: number;
}

export interface PostedReply {
  id: number;
  url?: string;
}

/**
 * What chat-ops needs from GitHub or GitLab, bound to one repository. Narrow on purpose: reads
 * (permissions, deployments, history) apart from the few writes a command makes.
 */
export interface CommandPlatform {
  readonly kind: PlatformKind;
  readonly project: string;

  /** True for the bot itself and other bots: their comments never run commands. */
  isBot(user: CommandUser): Promise<boolean>;
  /** Marks a comment as taken (👀). Idempotent: an existing reaction is fine. */
  addReaction(thread: CommandThread, commentId: number, reaction: 'eyes'): Promise<void>;
  /** Whether the user with this login reacted with 👍 to the comment. */
  hasThumbsUp(thread: CommandThread, commentId: number, login: string): Promise<boolean>;
  reply(thread: CommandThread, body: string): Promise<PostedReply>;
  editReply(thread: CommandThread, replyId: number, body: string): Promise<void>;

  /** The user's role on this repository ('none' when not a member). */
  getRole(user: CommandUser): Promise<Role>;
  getChangeRequest(number: number): Promise<ChangeRequest>;
  listEnvironments(): Promise<string[]>;

  /** Successful deployments of `environment`, newest first (a bounded recent window). */
  listSuccessfulDeployments(environment: string): Promise<DeploymentRecord[]>;
  /** Commits reachable from `headSha` and not from `baseSha`. */
  listCommitsBetween(baseSha: string, headSha: string): Promise<CommitRecord[]>;
  /** Merge requests that introduced a commit. */
  listMergeRequestsOfCommit(sha: string): Promise<MergeRequestRecord[]>;

  /** Asks the platform to deploy `deployment`'s commit again (rolls `environment` back). */
  redeploy(input: RedeployInput): Promise<{ url?: string; detail: string }>;
  /** Opens a merge request that makes `defaultBranch` match the target commit's tree. */
  openRevert(input: RevertInput): Promise<RevertResult>;
}

export interface RedeployInput {
  environment: string;
  toSha: string;
  /** The earlier deployment, when known (GitLab retries its job). */
  deployment?: DeploymentRecord;
  fromSha: string;
  requestedBy: string;
  sourceUrl?: string;
}

export interface RevertInput {
  environment: string;
  fromSha: string;
  toSha: string;
  /** First-parent commits being undone, newest first. */
  commits: CommitRecord[];
  defaultBranch: string;
  branch: string;
  title: string;
  body: string;
}

export type RevertResult =
  | { ok: true; url: string; number: number; branch: string }
  | { ok: false; detail: string; branch?: string };
