import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings/finding.ts';
import {
  collectSecretValueForms,
  maskSecretText,
  maskSecretValuesInFindings,
} from '../../../src/core/secrets/mask-secret-values.ts';

const secret = (fields: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  ...fields,
});

describe('collectSecretValueForms / maskSecretText', () => {
  it('masks data values as written and decoded, stringData values as written and encoded', () => {
    const forms = collectSecretValueForms([
      secret({
        data: { token: Buffer.from('decoded-token').toString('base64') },
        stringData: { pw: 'plain-pw' },
      }),
    ]);
    const text = `a ${Buffer.from('decoded-token').toString('base64')} b decoded-token c plain-pw d ${Buffer.from('plain-pw').toString('base64')}`;
    expect(maskSecretText(text, forms)).toBe(
      'a <masked: data.token> b <masked: data.token> c <masked: stringData.pw> d <masked: stringData.pw>',
    );
  });

  it('masks a short value only where it stands quoted, and a JSON-escaped multi-line value', () => {
    const forms = collectSecretValueForms([secret({ stringData: { pin: 'ab', cert: 'line1\n"line2"' } })]);
    expect(maskSecretText('value "ab" does not match; about', forms)).toBe(
      'value "<masked: stringData.pin>" does not match; about',
    );
    expect(maskSecretText('value "line1\\n\\"line2\\"" bad', forms)).toBe(
      'value "<masked: stringData.cert>" bad',
    );
  });

  it('reads only Secrets, and masks a data field that is not a map as a whole', () => {
    expect(
      collectSecretValueForms([{ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'visible-value' } }]),
    ).toEqual([]);
    const forms = collectSecretValueForms([secret({ data: 'whole-data-string' })]);
    expect(maskSecretText('x whole-data-string', forms)).toBe('x <masked: data>');
  });

  it('masks title, message and remedy of findings and leaves clean findings as they are', () => {
    const forms = collectSecretValueForms([secret({ stringData: { pw: 'hunter2-long' } })]);
    const dirty: Finding = {
      check: 'policy',
      rule: 'p/r',
      severity: 'error',
      blocking: true,
      title: 'bad hunter2-long',
      message: 'value "hunter2-long"',
      remedy: 'change hunter2-long',
    };
    const clean: Finding = { ...dirty, title: 't', message: 'm', remedy: 'r' };
    const [masked, same] = maskSecretValuesInFindings([dirty, clean], forms);
    expect([masked!.title, masked!.message, masked!.remedy]).toEqual([
      'bad <masked: stringData.pw>',
      'value "<masked: stringData.pw>"',
      'change <masked: stringData.pw>',
    ]);
    expect(same).toBe(clean);
  });
});
