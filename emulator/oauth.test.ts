// RFC 5849 (§1.2, §3.4.1.1) and X (Twitter) signature examples against the verifier.
import { describe, expect, it } from 'vitest';
import {
  OAuthError,
  createOAuthVerifier,
  hmacSha1Signature,
  parseAuthorizationHeader,
  percentEncode,
  signatureBaseString,
  type SignedRequest,
} from './oauth.js';

function verifierFor(
  consumer: { key: string; secret: string },
  token: { key: string; secret: string } | null,
  nowSec: number,
) {
  return createOAuthVerifier({
    getConsumerSecret: (key) => (key === consumer.key ? consumer.secret : null),
    getTokenSecret: (t) => (token && t === token.key ? token.secret : null),
    now: () => nowSec * 1000,
    timestampWindowSec: () => 300,
  });
}

const rfcPhotos: SignedRequest = {
  method: 'GET',
  baseUrl: 'http://photos.example.net/photos',
  query: new URLSearchParams('file=vacation.jpg&size=original'),
  headers: {
    authorization:
      'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
  },
  body: Buffer.alloc(0),
};

describe('OAuth 1.0 signatures', () => {
  it('encodes per RFC 3986 (unreserved only)', () => {
    expect(percentEncode("!*'() ~._-")).toBe('%21%2A%27%28%29%20~._-');
    expect(percentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
  });

  it('RFC 5849 §1.2 resource request verifies', () => {
    const verifier = verifierFor(
      { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' },
      { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' },
      137131202,
    );
    const result = verifier.verify(rfcPhotos);
    expect(result.consumerKey).toBe('dpf43f3p2l4k3l03');
    expect(result.token).toBe('nnch734d00sl2jdk');
  });

  it('RFC 5849 §1.2 temporary credentials signature', () => {
    const base = signatureBaseString('POST', 'https://photos.example.net/initiate', [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131200'],
      ['oauth_nonce', 'wIjqoS'],
      ['oauth_callback', 'http://printer.example.com/ready'],
    ]);
    expect(hmacSha1Signature(base, 'kd94hf93k423kf44')).toBe('74KNZJeDHnMBp0EMJ9ZHt/XKycU=');
  });

  it('RFC 5849 §3.4.1.1 base string (duplicate keys, empty values, double encoding, form body)', () => {
    const request: SignedRequest = {
      method: 'POST',
      baseUrl: 'http://example.com/request',
      query: new URLSearchParams('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D"',
      },
      body: Buffer.from('c2&a3=2+q'),
    };
    const verifier = verifierFor(
      { key: '9djdj82h48djs9d2', secret: 'j49sk3j29djd' },
      { key: 'kkk9d7dh3k39sjv7', secret: 'dh893hdasih9' },
      137131201,
    );
    expect(verifier.verify(request).signed).toBe(true);
  });

  it('X "Creating a signature" example', () => {
    const request: SignedRequest = {
      method: 'POST',
      baseUrl: 'https://api.twitter.com/1.1/statuses/update.json',
      query: new URLSearchParams('include_entities=true'),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
      },
      body: Buffer.from('status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21'),
    };
    const verifier = verifierFor(
      { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
      {
        key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
      1318622958,
    );
    expect(verifier.verify(request).signed).toBe(true);
  });

  it('rejects a tampered request, a stale timestamp and a replayed nonce', () => {
    const consumer = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
    const token = { key: 'nnch734d00sl2jdk', secret: 'pfkkdhi9sl3r4s00' };
    const tampered = { ...rfcPhotos, query: new URLSearchParams('file=vacation.jpg&size=large') };
    expect(() => verifierFor(consumer, token, 137131202).verify(tampered)).toThrow('Invalid signature');
    expect(() => verifierFor(consumer, token, 137131202 + 301).verify(rfcPhotos)).toThrow(
      'Timestamp expired',
    );
    const verifier = verifierFor(consumer, token, 137131202);
    verifier.verify(rfcPhotos);
    expect(() => verifier.verify(rfcPhotos)).toThrow('Nonce already used');
    expect(() => verifierFor({ key: 'other', secret: 'x' }, token, 137131202).verify(rfcPhotos)).toThrow(
      'Unknown consumer key',
    );
  });

  it('errors carry the service prefix', () => {
    expect(new OAuthError('Invalid signature').message).toBe('OAuth authentication error: Invalid signature');
  });

  it('parses the bare key-only Authorization form', () => {
    expect(parseAuthorizationHeader('oauth_consumer_key=septet-demo-key')).toEqual([
      ['oauth_consumer_key', 'septet-demo-key'],
    ]);
    expect(parseAuthorizationHeader('Bearer x')).toBeNull();
  });
});
