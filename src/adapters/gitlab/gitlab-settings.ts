/** The GitLab instance and bot token (read from the environment by the entry point). */
export interface GitLabSettings {
  url: string;
  token: string;
  webhookSecret: string;
}
