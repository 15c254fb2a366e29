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

/** A comment as the platform itself stores it, and the repository it belongs to. */
export interface CommandSource {
  author: CommandUser;
  body: string;
  /** A system note (GitLab): never a command. */
  system: boolean;
  /** The repository's path (`group/project`) and default branch, as the platform says. */
  project: string;
  defaultBranch: string;
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
  /** Whether this user (compared by id, never by login) reacted with 👍 to the comment. */
  hasThumbsUp(thread: CommandThread, commentId: number, user: CommandUser): Promise<boolean>;
  /**
   * Reads the comment back by id in this thread, and the repository: what a command acts on when
   * the webhook could have been written by anyone who holds its secret (GitLab). Undefined when
   * the thread has no such comment. Absent where deliveries are signed by the platform (GitHub).
   */
  readCommandSource?(thread: CommandThread, commentId: number): Promise<CommandSource | undefined>;
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
