/** The body an Idempotency-Key is matched on: the same JSON whatever its key order, at any depth. */
import { canonicalJson } from '../../../api/idempotency';

it('writes objects with their keys sorted, arrays in order, undefined left out of objects', () => {
  expect(canonicalJson({ b: [3, { d: 1, c: 'x' }], a: null, skip: undefined })).toBe('{"a":null,"b":[3,{"c":"x","d":1}]}');
  expect(canonicalJson({ b: 2, a: 1 })).toBe(canonicalJson({ a: 1, b: 2 }));
  expect(canonicalJson([undefined, 'é', 1.5, true, {}, []])).toBe('[null,"é",1.5,true,{},[]]');
  expect(canonicalJson(undefined)).toBe('null');
});

it('reads a value nested far deeper than the call stack allows, without recursion', () => {
  const levels = 200_000;
  const deep = JSON.parse(`${'['.repeat(levels)}{"z":1,"a":2}${']'.repeat(levels)}`) as unknown;
  expect(canonicalJson(deep)).toBe(`${'['.repeat(levels)}{"a":2,"z":1}${']'.repeat(levels)}`);
});
