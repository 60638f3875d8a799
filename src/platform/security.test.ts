import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonceSource } from './security.js';

describe('createNonceSource', () => {
  it('gives 128-bit base64 nonces that do not repeat, across pool refills', () => {
    const next = createNonceSource();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const value = next();
      expect(Buffer.from(value, 'base64')).toHaveLength(16);
      seen.add(value);
    }
    expect(seen.size).toBe(1000);
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict: self only, a nonce for scripts, no inline, no framing', () => {
    const { before, after } = contentSecurityPolicy({ isProduction: false });
    const policy = `${before}abc${after}`;
    expect(policy).toContain("script-src 'self' 'nonce-abc'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('upgrades insecure requests in production', () => {
    const { after } = contentSecurityPolicy({ isProduction: true });
    expect(after).toContain('upgrade-insecure-requests');
  });
});
