/** The GitLab instance and bot token (read from the environment by the entry point). */
export interface GitLabSettings {
  url: string;
  token: string;
  webhookSecret: string;
  /**
   * Secrets per project or group path (GITLAB_WEBHOOK_SECRETS_FILE): a delivery for a project under
   * one of them must carry that secret, and the global one does not count for it.
   */
  webhookSecrets?: ReadonlyMap<string, string>;
}
