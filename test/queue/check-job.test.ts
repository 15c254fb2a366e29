import { describe, expect, it } from 'vitest';
import { changeRequestKey, checkJobId } from '../../src/queue/check-job.ts';

describe('checkJobId', () => {
  const job = {
    platform: 'gitlab' as const,
    project: 'group/sub:project',
    number: 4,
    headSha: 'abc',
    deliveryId: 'd-1',
  };

  it('derives one id per platform, project, change and head SHA, without colons', () => {
    expect(checkJobId(job)).toBe('check.gitlab.group/sub_project.4.abc');
    expect(checkJobId({ ...job, headSha: 'def' })).not.toBe(checkJobId(job));
    expect(checkJobId(job)).not.toContain(':');
  });

  it('gives an explicit re-run its own id', () => {
    expect(checkJobId({ ...job, rerun: true })).toBe('check.gitlab.group/sub_project.4.abc.rerun.d-1');
  });

  it('debounces by change request, whatever the SHA', () => {
    expect(changeRequestKey(job)).toBe(changeRequestKey({ ...job, headSha: 'def' }));
  });
});
