/** The GitHub App this deployment runs as (read from the environment by the entry point). */
export interface GitHubSettings {
  appId: string;
  privateKey: string;
  webhookSecret: string;
  /** REST API base URL (GitHub Enterprise Server: https://HOST/api/v3). */
  apiUrl?: string;
  /** Where people open the repository in a browser: GITHUB_URL, or derived from the API URL. */
  webUrl: string;
}
