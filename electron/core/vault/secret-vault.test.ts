// Runs against a real Secret Service: `bash scripts/with-keyring.sh npx vitest run electron/core/vault`
// (npm test does this). Without one (SEPTET_KEYRING unset) the in-process keychain tests are skipped;
// the child-process tests below build their own D-Bus sessions and always run.
import { execFile } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { redact } from '../logger.js';
import {
  createEncryptedFileStore,
  createSecretVault,
  loadKeytar,
  type SafeStorageLike,
  type SecretVault,
} from './secret-vault.js';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../../..');
const inKeyring = process.env.SEPTET_KEYRING === '1';
const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'septet-vault-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

async function expectVaultUnavailable(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('vault_unavailable');
    return error as AppError;
  }
  throw new Error('expected vault_unavailable');
}

describe.runIf(inKeyring)('keytar backend on a real Secret Service', () => {
  const service = `Septet-test-${process.pid}`;

  it('picks keytar, stores, reads back and deletes every named secret', async () => {
    const vault = await createSecretVault({ service });
    expect(vault.backend).toBe('keytar');
    expect(vault.unavailable).toEqual([]);
    await vault.set('consumerSecret', 'cs-1');
    await vault.set('accessToken', 'at-1');
    await vault.set('accessTokenSecret', 'ats-1');
    await vault.set('cacheMasterKey', randomBytes(32).toString('base64'));
    expect(await vault.get('consumerSecret')).toBe('cs-1');
    expect(await vault.get('accessToken')).toBe('at-1');
    await vault.set('accessToken', 'at-2');
    expect(await vault.get('accessToken')).toBe('at-2');
    expect(await vault.delete('accessToken')).toBe(true);
    expect(await vault.get('accessToken')).toBeNull();
    expect(await vault.delete('accessToken')).toBe(false);

    // A second vault (e.g. after a restart) sees the same keychain entries.
    const again = await createSecretVault({ service });
    expect(await again.get('accessTokenSecret')).toBe('ats-1');
    for (const name of ['consumerSecret', 'accessTokenSecret', 'cacheMasterKey'] as const)
      await again.delete(name);
  });

  it('uses the service name Septet by default', async () => {
    const vault = await createSecretVault();
    await vault.set('accessToken', 'default-service-token');
    const keytar = await loadKeytar();
    expect(await keytar.getPassword('Septet', 'accessToken')).toBe('default-service-token');
    await vault.delete('accessToken');
  });

  it('rejects unknown secret names and empty values', async () => {
    const vault = await createSecretVault({ service });
    await expect(vault.set('password' as never, 'x')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(vault.set('accessToken', '')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('secrets and the logs', () => {
  it('blanks every secret that passes through the vault from log lines, under any field name', async () => {
    const vault = await createSecretVault({ keytar: () => loadKeytar('septet-no-such-keytar') });
    await expectVaultUnavailable(vault.set('accessToken', 'tok-9f8e7d6c5b4a'));
    const line = redact({ note: 'got tok-9f8e7d6c5b4a back', url: 'http://x/?q=tok-9f8e7d6c5b4a' });
    expect(JSON.stringify(line)).not.toContain('tok-9f8e7d6c5b4a');
  });
});

describe('when keytar cannot be used', () => {
  it('reports a missing keytar module and refuses to persist without safeStorage', async () => {
    const vault = await createSecretVault({ keytar: () => loadKeytar('septet-no-such-keytar') });
    expect(vault.backend).toBe('none');
    expect(vault.unavailable.join('\n')).toMatch(/septet-no-such-keytar module is not installed/);
    const error = await expectVaultUnavailable(vault.set('accessToken', 'secret-token-value'));
    expect(error.message).toMatch(/will not save credentials/);
    expect(error.message).not.toContain('secret-token-value');
    expect(await vault.get('accessToken')).toBeNull();
  });

  // A real process whose D-Bus session address points nowhere: keytar is installed but there is
  // no Secret Service behind it.
  it('refuses to persist when no Secret Service is reachable', async () => {
    const { stdout } = await runVaultChild({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/septet-bus' });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
    expect(result.backend).toBe('none');
    expect(result.unavailable.join('\n')).toMatch(/keytar: .*Could not connect/);
    expect(result.setError).toEqual({ code: 'vault_unavailable', mentionsValue: false });
  });

  // A Secret Service whose login keyring does not exist / is locked: keytar's getPassword
  // answers null instead of failing, so only the probe catches it.
  it('treats a locked keyring as unavailable', async () => {
    const keyringHome = tempDir();
    const script =
      `XDG_DATA_HOME=${keyringHome} gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; ` +
      `exec ${childCommand.map((part) => `'${part}'`).join(' ')}`;
    const { stdout } = await run('dbus-run-session', ['--', 'bash', '-c', script], {
      cwd: repoRoot,
      env: { ...process.env, SEPTET_KEYRING: '' },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
    expect(result.backend).toBe('none');
    expect(result.setError?.code).toBe('vault_unavailable');
  });
});

type ChildResult = {
  backend: string;
  unavailable: string[];
  setError: { code: string; mentionsValue: boolean } | null;
};

const childSource = `
const { createSecretVault } = await import(${JSON.stringify(join(here, 'secret-vault.ts'))});
const vault = await createSecretVault({ service: "Septet-child-test", probeTimeoutMs: 20000 });
let setError = null;
try { await vault.set("accessToken", "child-secret-value"); }
catch (e) { setError = { code: e.code, mentionsValue: String(e.message).includes("child-secret-value") }; }
console.log(JSON.stringify({ backend: vault.backend, unavailable: vault.unavailable, setError }));
`;
const childCommand = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', childSource];

function runVaultChild(env: Record<string, string>): Promise<{ stdout: string }> {
  const [command, ...args] = childCommand;
  return run(command!, args, { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 });
}

// Electron's binary cannot run here, so safeStorage is stood in for by an AES-GCM object with the
// same shape; what is under test is the adapter (refusals, file format, no plaintext on disk).
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('safeStorage backend', () => {
  async function safeStorageVault(backend: string, path: string, available = true): Promise<SecretVault> {
    return createSecretVault({
      keytar: false,
      safeStorage: {
        safeStorage: fakeSafeStorage(backend, available),
        store: createEncryptedFileStore(path),
      },
    });
  }

  it('stores ciphertext only, in a 0600 file, and reads it back', async () => {
    const path = join(tempDir(), 'profile', 'secrets.json');
    const vault = await safeStorageVault('gnome_libsecret', path);
    expect(vault.backend).toBe('safe-storage');
    await vault.set('accessTokenSecret', 'very-secret-token-secret');
    await vault.set('cacheMasterKey', 'master-key-material');
    expect(await vault.get('accessTokenSecret')).toBe('very-secret-token-secret');
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain('very-secret-token-secret');
    expect(onDisk).not.toContain('master-key-material');
    expect(Object.keys(JSON.parse(onDisk) as object).sort()).toEqual(['accessTokenSecret', 'cacheMasterKey']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await vault.delete('cacheMasterKey')).toBe(true);
    expect(await vault.get('cacheMasterKey')).toBeNull();
  });

  it("refuses Linux's basic_text backend (a hard-coded password) and falls back to refusing", async () => {
    const vault = await safeStorageVault('basic_text', join(tempDir(), 's.json'));
    expect(vault.backend).toBe('none');
    expect(vault.unavailable.join('\n')).toMatch(/basic_text/);
    await expectVaultUnavailable(vault.set('accessToken', 'x'));
  });

  it('refuses when safeStorage reports no encryption', async () => {
    const vault = await safeStorageVault('gnome_libsecret', join(tempDir(), 's.json'), false);
    expect(vault.backend).toBe('none');
    await expectVaultUnavailable(vault.set('consumerSecret', 'x'));
  });
});
