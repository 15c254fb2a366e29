/**
 * The shape kustomize 5 accepts for a kustomization file. kustomize reads it strictly (YAML 1.1
 * scalars, then JSON into its `Kustomization` struct with unknown fields refused), so
 * `newTag: 1.10`, `commonLabels: {enabled: yes}` or a misspelt field stop the whole build.
 */
type Shape =
  | 'string'
  | 'bool'
  | 'int'
  | 'any'
  | { list: Shape }
  | { map: Shape }
  | { fields: Record<string, Shape> };

const STRINGS: Shape = { list: 'string' };
const STRING_MAP: Shape = { map: 'string' };
const GVK = { group: 'string', version: 'string', kind: 'string' } as const;
const SELECTOR: Shape = {
  fields: {
    ...GVK,
    name: 'string',
    namespace: 'string',
    labelSelector: 'string',
    annotationSelector: 'string',
  },
};
const FIELD_SPEC: Shape = { fields: { ...GVK, path: 'string', create: 'bool' } };
const FIELD_OPTIONS: Shape = {
  fields: { delimiter: 'string', index: 'int', encoding: 'string', create: 'bool' },
};
const PATCH: Shape = {
  fields: { path: 'string', patch: 'string', target: SELECTOR, options: { map: 'bool' } },
};
const GENERATOR_OPTIONS: Shape = {
  fields: { labels: STRING_MAP, annotations: STRING_MAP, disableNameSuffixHash: 'bool', immutable: 'bool' },
};
const GENERATOR = {
  namespace: 'string',
  name: 'string',
  behavior: 'string',
  literals: STRINGS,
  files: STRINGS,
  envs: STRINGS,
  env: 'string',
  options: GENERATOR_OPTIONS,
} as const;

const KUSTOMIZATION: Shape = {
  fields: {
    apiVersion: 'string',
    kind: 'string',
    metadata: {
      fields: { name: 'string', namespace: 'string', labels: STRING_MAP, annotations: STRING_MAP },
    },
    openapi: STRING_MAP,
    namePrefix: 'string',
    nameSuffix: 'string',
    namespace: 'string',
    commonLabels: STRING_MAP,
    labels: {
      list: {
        fields: {
          pairs: STRING_MAP,
          includeSelectors: 'bool',
          includeTemplates: 'bool',
          fields: { list: FIELD_SPEC },
        },
      },
    },
    commonAnnotations: STRING_MAP,
    patchesStrategicMerge: STRINGS,
    patchesJson6902: { list: PATCH },
    patches: { list: PATCH },
    images: {
      list: {
        fields: {
          name: 'string',
          newName: 'string',
          tagSuffix: 'string',
          newTag: 'string',
          digest: 'string',
        },
      },
    },
    replacements: {
      list: {
        fields: {
          path: 'string',
          source: {
            fields: {
              ...GVK,
              name: 'string',
              namespace: 'string',
              fieldPath: 'string',
              options: FIELD_OPTIONS,
            },
          },
          targets: {
            list: {
              fields: {
                select: SELECTOR,
                reject: { list: SELECTOR },
                fieldPaths: STRINGS,
                options: FIELD_OPTIONS,
              },
            },
          },
        },
      },
    },
    replicas: { list: { fields: { name: 'string', count: 'int' } } },
    vars: { list: 'any' },
    resources: STRINGS,
    components: STRINGS,
    crds: STRINGS,
    bases: STRINGS,
    configMapGenerator: { list: { fields: GENERATOR } },
    secretGenerator: { list: { fields: { ...GENERATOR, type: 'string' } } },
    helmGlobals: 'any',
    helmCharts: { list: 'any' },
    helmChartInflationGenerator: { list: 'any' },
    generatorOptions: GENERATOR_OPTIONS,
    configurations: STRINGS,
    generators: STRINGS,
    transformers: STRINGS,
    validators: STRINGS,
    inventory: 'any',
    buildMetadata: STRINGS,
    sortOptions: {
      fields: { order: 'string', legacySortOptions: { fields: { orderFirst: STRINGS, orderLast: STRINGS } } },
    },
  },
};

export interface ShapeError {
  /** Key path in the kustomization. */
  path: (string | number)[];
  message: string;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean (YAML 1.1 reads yes/no/on/off/y/n as booleans)';
  return `a ${typeof value}`;
}

function check(value: unknown, shape: Shape, path: (string | number)[], errors: ShapeError[]): void {
  if (value === null || value === undefined || shape === 'any' || errors.length >= 5) return;
  const wrong = (expected: string) =>
    errors.push({ path, message: `must be ${expected}, not ${typeName(value)}` });
  if (shape === 'string') {
    if (typeof value !== 'string') wrong('a string (quote it)');
  } else if (shape === 'bool') {
    if (typeof value !== 'boolean') wrong('true or false');
  } else if (shape === 'int') {
    if (typeof value !== 'number' || !Number.isInteger(value)) wrong('an integer');
  } else if ('list' in shape) {
    if (!Array.isArray(value)) wrong('a list');
    else
      value.forEach((item, i) => {
        check(item, shape.list, [...path, i], errors);
      });
  } else if (typeof value !== 'object' || Array.isArray(value)) {
    wrong('a map');
  } else if ('map' in shape) {
    for (const [key, item] of Object.entries(value)) check(item, shape.map, [...path, key], errors);
  } else {
    for (const [key, item] of Object.entries(value)) {
      const field = Object.hasOwn(shape.fields, key) ? shape.fields[key] : undefined;
      if (!field)
        errors.push({
          path: [...path, key],
          message: `is not a kustomization field (kustomize refuses unknown fields)`,
        });
      else check(item, field, [...path, key], errors);
    }
  }
}

/**
 * Checks a kustomization (read with YAML 1.1 scalars, as kustomize reads it) against the fields
 * and types kustomize 5 accepts; at most five problems. `null` values are accepted (kustomize
 * reads them as unset), as it does.
 */
export function validateKustomization(value: unknown): ShapeError[] {
  const errors: ShapeError[] = [];
  check(value, KUSTOMIZATION, [], errors);
  return errors;
}
