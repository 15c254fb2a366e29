import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { createChatOpsSettingsLoader } from '../../src/usecases/load-chatops-settings.ts';
import type { RepositoryReader } from '../../src/usecases/ports/repository-reader.ts';
import type { SourceTree } from '../../src/usecases/ports/source-tree.ts';

const CONFIG = `environments:
  - name: staging
    path: deploy/staging
  - name: production
    path: deploy/production
protectedBranch: release
chatops:
  permissions:
    lock: write
    doctor: admin
  rollback:
    strategies: [revert]
    confirmTimeoutSeconds: 90
`;

function reader(heads: Record<string, string>, files: Record<string, Record<string, string>>) {
  const reads: string[] = [];
  const r: RepositoryReader = {
    kind: 'gitlab',
    project: 'ops/coffee',
    getBranchHead: async (branch) => heads[branch]!,
    openTree: (sha): SourceTree => ({
      sha,
      listFiles: async () => Object.keys(files[sha] ?? {}),
      readFile: async (path) => {
        reads.push(`${sha}:${path}`);
        const text = files[sha]?.[path];
        return text === undefined ? undefined : new TextEncoder().encode(text);
      },
    }),
  };
  return { r, reads };
}

describe('createChatOpsSettingsLoader', () => {
  it('maps chatops, environments and the protected branch of the default branch head', async () => {
    const { r } = reader({ main: 'm1' }, { m1: { '.tollgate.yml': CONFIG } });
    const load = createChatOpsSettingsLoader({ readerFor: async () => r, render: renderAllEnvironments });
    const settings = await load({ defaultBranch: 'main' });
    expect(settings).toMatchObject({
      permissions: { lock: 'write', doctor: 'admin' },
      strategies: ['revert'],
      confirmTimeoutMs: 90_000,
      environments: ['staging', 'production'],
      protectedBranch: 'release',
    });
    expect(typeof settings.renderDiff).toBe('function');
  });

  it('without .tollgate.yml: defaults, and the platform decides environments and branch', async () => {
    const { r } = reader({ main: 'm1' }, { m1: {} });
    const settings = await createChatOpsSettingsLoader({
      readerFor: async () => r,
      render: renderAllEnvironments,
    })({
      defaultBranch: 'main',
    });
    expect(settings.permissions).toEqual({});
    expect(settings.environments).toBeUndefined();
    expect(settings.protectedBranch).toBeUndefined();
    expect(settings.confirmTimeoutMs).toBe(300_000);
  });

  it('caches per commit for the TTL; a new default-branch head is read at once', async () => {
    const heads = { main: 'm1' };
    const { r, reads } = reader(heads, {
      m1: { '.tollgate.yml': CONFIG },
      m2: { '.tollgate.yml': 'chatops:\n  permissions:\n    rollback: admin\n' },
    });
    let clock = 0;
    const load = createChatOpsSettingsLoader({
      readerFor: async () => r,
      render: renderAllEnvironments,
      ttlMs: 1000,
      now: () => clock,
    });
    await load({ defaultBranch: 'main' });
    await load({ defaultBranch: 'main' });
    expect(reads).toEqual(['m1:.tollgate.yml']);
    heads.main = 'm2';
    expect((await load({ defaultBranch: 'main' })).permissions).toEqual({ rollback: 'admin' });
    clock = 5000;
    heads.main = 'm1';
    await load({ defaultBranch: 'main' });
    expect(reads).toEqual(['m1:.tollgate.yml', 'm2:.tollgate.yml', 'm1:.tollgate.yml']);
  });
});
