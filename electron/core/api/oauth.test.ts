import { describe, expect, it } from 'vitest';
import {
  createLocalSigner,
  formatPairs,
  parseFormPairs,
  percentEncode,
  signatureBaseString,
} from './oauth.js';

// RFC 5849 (§1.2, §3.4.1.1) and X/Twitter "Creating a signature" vectors, cross-checked by
// several independent OAuth test suites.
describe('local HMAC-SHA1 signer', () => {
  it('reproduces the RFC 5849 §1.2 resource request', async () => {
    const signer = createLocalSigner({
      consumerKey: 'dpf43f3p2l4k3l03',
      consumerSecret: 'kd94hf93k423kf44',
      now: () => 137131202_000,
      nonce: () => 'chapoH',
      includeVersion: false,
    });
    const result = await signer.sign({
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      token: { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' },
    });
    expect(Object.fromEntries(result.oauthParams).oauth_signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    expect(result.authorization).toContain('oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"');
    expect(result.authorization.startsWith('OAuth ')).toBe(true);
  });

  it('reproduces the RFC 5849 §1.2 temporary-credentials request (oauth_callback signed)', async () => {
    const signer = createLocalSigner({
      consumerKey: 'dpf43f3p2l4k3l03',
      consumerSecret: 'kd94hf93k423kf44',
      now: () => 137131200_000,
      nonce: () => 'wIjqoS',
      includeVersion: false,
    });
    const result = await signer.sign({
      method: 'POST',
      url: 'https://photos.example.net/initiate',
      oauthParams: { oauth_callback: 'http://printer.example.com/ready' },
    });
    expect(Object.fromEntries(result.oauthParams).oauth_signature).toBe('74KNZJeDHnMBp0EMJ9ZHt/XKycU=');
    expect(result.authorization).toContain('oauth_callback="http%3A%2F%2Fprinter.example.com%2Fready"');
  });

  it('reproduces the RFC 5849 §3.4.1.1 base string: duplicate names, empty values, double encoding, form body', async () => {
    const url = 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b';
    const bodyParams = parseFormPairs('c2&a3=2+q');
    expect(bodyParams).toEqual([
      ['c2', ''],
      ['a3', '2 q'],
    ]);
    const signer = createLocalSigner({
      consumerKey: '9djdj82h48djs9d2',
      consumerSecret: 'j49sk3j29djd',
      now: () => 137131201_000,
      nonce: () => '7d8f3e4a',
      includeVersion: false,
    });
    const result = await signer.sign({
      method: 'POST',
      url,
      bodyParams,
      token: { key: 'kkk9d7dh3k39sjv7', secret: 'dh893hdasih9' },
    });
    const base = signatureBaseString({ method: 'POST', url, bodyParams, oauthParams: result.oauthParams });
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
    expect(Object.fromEntries(result.oauthParams).oauth_signature).toBe('r6/TJjbCOr97/+UU0NsvSne7s5g=');
  });

  it('reproduces the X "Creating a signature" example (space as %20, ! encoded)', async () => {
    const signer = createLocalSigner({
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      now: () => 1318622958_000,
      nonce: () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    });
    const result = await signer.sign({
      method: 'POST',
      url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
      bodyParams: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
      token: {
        key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
    });
    expect(Object.fromEntries(result.oauthParams).oauth_signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('uses an unpredictable nonce and the current time by default', async () => {
    const signer = createLocalSigner({ consumerKey: 'k', consumerSecret: 's' });
    const a = Object.fromEntries((await signer.sign({ method: 'GET', url: 'http://h/x' })).oauthParams);
    const b = Object.fromEntries((await signer.sign({ method: 'GET', url: 'http://h/x' })).oauthParams);
    expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
    expect(a.oauth_nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(Number(a.oauth_timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(a.oauth_version).toBe('1.0');
  });

  it('lowercases scheme and host and drops default ports in the base string URI', () => {
    const base = signatureBaseString({
      method: 'get',
      url: 'HTTP://Example.COM:80/r%20v/X?id=123',
      oauthParams: [],
    });
    expect(base).toBe('GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&id%3D123');
    const withPort = signatureBaseString({
      method: 'GET',
      url: 'https://www.example.net:8080/?q=1',
      oauthParams: [],
    });
    expect(withPort).toBe('GET&https%3A%2F%2Fwww.example.net%3A8080%2F&q%3D1');
  });
});

describe('percentEncode', () => {
  it('encodes every byte 0–255 per RFC 3986: unreserved kept, all else %XX uppercase', () => {
    for (let byte = 0; byte < 256; byte++) {
      const ch = String.fromCharCode(byte);
      const expected = /[A-Za-z0-9\-._~]/.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      expect(percentEncode(Uint8Array.of(byte))).toBe(expected);
    }
  });

  it('encodes characters as their UTF-8 bytes (U+0080–U+00FF are two bytes)', () => {
    for (let code = 0; code < 256; code++) {
      const ch = String.fromCharCode(code);
      const expected = [...Buffer.from(ch, 'utf8')]
        .map((b) =>
          /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
            ? String.fromCharCode(b)
            : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
        )
        .join('');
      expect(percentEncode(ch)).toBe(expected);
    }
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('☃')).toBe('%E2%98%83');
  });

  it("encodes the characters encodeURIComponent leaves alone (!*'()), space as %20, + and , and #", () => {
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
    expect(percentEncode('a b+c,d#e')).toBe('a%20b%2Bc%2Cd%23e');
    expect(percentEncode('-._~')).toBe('-._~');
  });

  it('does not throw on a lone surrogate (encodeURIComponent would)', () => {
    expect(() => encodeURIComponent('\ud800')).toThrow();
    expect(percentEncode('\ud800')).toBe('%EF%BF%BD');
  });

  it('formats form bodies with %20, never +', () => {
    expect(formatPairs([['status', 'Hello Ladies + Gentlemen']])).toBe(
      'status=Hello%20Ladies%20%2B%20Gentlemen',
    );
  });
});

describe('against an independent verifier (the emulator’s)', () => {
  it('any parameters, in query and form body, duplicates and Unicode included, verify', async () => {
    const { createOAuthVerifier } = await import('../../../emulator/oauth.js');
    const fc = (await import('fast-check')).default;
    const clock = 1_800_000_000_000;
    const verifier = createOAuthVerifier({
      getConsumerSecret: (key) => (key === 'k e y' ? "s&e=c r!t'" : null),
      getTokenSecret: () => 't*s(e)c',
      now: () => clock,
      timestampWindowSec: () => 300,
    });
    const signer = createLocalSigner({
      consumerKey: 'k e y',
      consumerSecret: "s&e=c r!t'",
      now: () => clock,
    });
    const text = fc.string({ unit: 'binary', maxLength: 6 });
    const pairs = fc.array(
      fc.tuple(
        text.filter((s) => !s.startsWith('oauth_')),
        text,
      ),
      { maxLength: 5 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        pairs,
        pairs,
        fc.boolean(),
        async (method, query, body, withToken) => {
          const url = `http://Example.com:80/a%20b/c${query.length ? `?${formatPairs(query)}` : ''}`;
          const hasBody = method === 'POST' || method === 'PUT';
          const token = withToken ? { key: 'tok', secret: 't*s(e)c' } : null;
          const signed = await signer.sign({ method, url, bodyParams: hasBody ? body : [], token });
          const verified = verifier.verify({
            method,
            baseUrl: 'http://example.com/a%20b/c',
            query: new URL(url).searchParams,
            headers: {
              authorization: signed.authorization,
              ...(hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            body: Buffer.from(hasBody ? formatPairs(body) : ''),
          });
          expect(verified.signed).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
