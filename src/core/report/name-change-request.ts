/** Which platform's words to use: GitHub has pull requests (`#8`), GitLab merge requests (`!8`). */
export type ChangeRequestPlatform = 'github' | 'gitlab';

/** `#8` on GitHub, `!8` on GitLab (both platforms link these references themselves). */
export function referToChangeRequest(platform: ChangeRequestPlatform | undefined, number: number): string {
  return `${platform === 'gitlab' ? '!' : '#'}${number}`;
}

/** `pull request` on GitHub, `merge request` on GitLab (and when the platform is unknown). */
export function nameChangeRequestKind(platform: ChangeRequestPlatform | undefined): string {
  return platform === 'github' ? 'pull request' : 'merge request';
}
