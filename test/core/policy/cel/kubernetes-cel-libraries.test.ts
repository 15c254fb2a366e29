import { describe, expect, it } from 'vitest';
import { compileCelExpression } from '../../../../src/core/policy/cel/compile-cel-expression.ts';
import { toCelValue } from '../../../../src/core/policy/cel/to-cel-value.ts';

const bindings = {
  object: toCelValue({
    metadata: { name: 'coffee', labels: { app: 'coffee' } },
    spec: { replicas: 3, containers: [{ name: 'coffee', image: 'Registry.Cafe.Example/coffee:1.2' }] },
  }),
  oldObject: null,
  request: toCelValue({ operation: 'CREATE' }),
  namespaceObject: null,
  params: null,
  variables: {},
};

function evaluate(expression: string): unknown {
  const program = compileCelExpression(expression);
  if (!program.ok) throw new Error(`compile: ${program.error}`);
  return program.evaluate(bindings);
}

function evaluationError(expression: string): string {
  try {
    evaluate(expression);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${expression} did not fail`);
}

describe('Kubernetes CEL environment', () => {
  it.each([
    // quantity library
    ["quantity('100Mi').isLessThan(quantity('1Gi'))", true],
    ["quantity('2Gi').isGreaterThan(quantity('2G'))", true],
    ["quantity('1') == quantity('1000m')", true],
    ["quantity('500m').add(quantity('1.5')).asInteger()", 2n],
    ["quantity('1').sub(2).sign()", -1n],
    ["quantity('1Ki').asApproximateFloat()", 1024],
    ["isQuantity('1e3') && !isQuantity('1 Gi')", true],
    ["quantity('250m').compareTo(quantity('0.25'))", 0n],
    // lists library
    ['[1, 2, 2, 5].isSorted() && ![3, 1].isSorted()', true],
    ['[1, 2, 3].sum()', 6n],
    ['[].sum()', 0n],
    ["['tea', 'coffee'].min()", 'coffee'],
    ['[4, 9, 2].max()', 9n],
    ["['a', 'b', 'a'].indexOf('a') == 0 && ['a', 'b', 'a'].lastIndexOf('a') == 2", true],
    ["['a', 'b'].indexOf('z')", -1n],
    ['sets.contains([1, 2, 3], [3, 1]) && !sets.intersects([1], [2])', true],
    // strings extension and regex library
    ["'Coffee'.lowerAscii() + 'tea'.upperAscii()", 'coffeeTEA'],
    ["'a,b,c'.split(',').join('+')", 'a+b+c'],
    ["'tea-tea'.replace('tea', 'coffee')", 'coffee-coffee'],
    ["'tea-tea'.replace('tea', 'coffee', 1)", 'coffee-tea'],
    ["'  spaced '.trim()", 'spaced'],
    ["'coffee'.indexOf('f') == 2 && 'coffee'.lastIndexOf('e') == 5", true],
    ["'coffee'.substring(1, 3) + 'coffee'.charAt(0)", 'ofc'],
    ["'%s has %d replicas'.format(['coffee', 3])", 'coffee has 3 replicas'],
    ["'image:1.2.3'.find('[0-9.]+$')", '1.2.3'],
    ["'a1b22c333'.findAll('[0-9]+')", ['1', '22', '333']],
    ["'Coffee'.matches('(?i)^coffee$')", true],
    ["'coffee'.matches('^c[[:alpha:]]+\\\\z')", true],
    // URL and IP libraries
    ["url('https://cafe.example:8443/menu?item=tea').getHostname()", 'cafe.example'],
    ["url('https://cafe.example:8443/menu').getPort()", '8443'],
    ["url('https://cafe.example/menu?item=tea&item=coffee').getQuery()['item']", ['tea', 'coffee']],
    ["isURL('https://cafe.example') && !isURL('not a url')", true],
    ["cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))", true],
    ["ip('::1').isLoopback() && ip('192.168.1.1').family() == 4 && !isIP('1.2.3')", true],
    // standard macros, optionals, heterogeneous literals
    [
      "object.spec.containers.exists(c, c.name == 'coffee') && object.spec.containers.exists_one(c, true)",
      true,
    ],
    ['object.spec.containers.map(c, c.name)', ['coffee']],
    ["object.spec.containers.filter(c, c.image.contains('tea')).size()", 0n],
    ['has(object.metadata.labels) && !has(object.metadata.annotations)', true],
    ["object.metadata.?annotations[?'owner'].orValue('nobody')", 'nobody'],
    ["object.metadata.?labels.?app.orValue('')", 'coffee'],
    ['optional.of(1).hasValue() && !optional.none().hasValue()', true],
    ["!optional.ofNonZeroValue('').hasValue() && optional.ofNonZeroValue([1]).hasValue()", true],
    ["[1, 'one', 1.0].size()", 3n],
    ['object.spec.replicas * 2', 6n],
    ["duration('1h') > duration('59m')", true],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it('raises evaluation errors for bad library input', () => {
    expect(evaluationError("quantity('1 Gi')")).toContain('quantities must match');
    expect(evaluationError("quantity('1.5').asInteger()")).toContain('cannot convert value to integer');
    expect(evaluationError('[].min()')).toContain('min called on empty list');
    expect(evaluationError("url('no url')")).toContain('URL parse error');
    expect(evaluationError("'x'.matches('(')")).toContain('invalid regular expression');
    expect(evaluationError('object.spec.nothing')).toContain('No such key: nothing');
  });

  it('caches compiled programs by expression text', () => {
    expect(compileCelExpression('object.spec.replicas > 1')).toBe(
      compileCelExpression('object.spec.replicas > 1'),
    );
  });

  it('reports compile errors', () => {
    expect(compileCelExpression('object.spec.')).toMatchObject({ ok: false });
    expect(compileCelExpression("1 + 'a'")).toMatchObject({
      ok: false,
      error: expect.stringContaining('int + string'),
    });
    expect(compileCelExpression('unknownVariable == 1')).toMatchObject({ ok: false });
  });
});
