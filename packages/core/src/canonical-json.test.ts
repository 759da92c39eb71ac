import { canonicalJson, sha256Hex } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: [2, 1] })).not.toBe(canonicalJson({ x: [1, 2] }));
  });

  it('drops undefined members like JSON.stringify, and keeps a __proto__ key as data', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
    expect(canonicalJson(hostile)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hashes to hex SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
