// `npm install` ends here (postinstall): Septet keeps sign-in tokens and the offline master key in
// the OS keychain through keytar, an optional native module. When keytar did not build (no
// libsecret on a fresh Debian/Ubuntu), this installs the system packages it needs (as root, or
// with sudo that asks no password) and rebuilds it — or prints the exact command to run.
// It never fails the install: without a keychain Septet still runs, and says on its first screen
// what it cannot keep.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
/** What keytar builds against and needs at run time, and what a Secret Service needs to run. */
const debianPackages = [
  'libsecret-1-0',
  'libsecret-1-dev',
  'gnome-keyring',
  'dbus-user-session',
  'build-essential',
  'python3',
];

function keytarError() {
  try {
    require('keytar');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

function missingDebianPackages() {
  return debianPackages.filter((pkg) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !(status.stdout ?? '').includes('install ok installed');
  });
}

/** root, or sudo that will not stop to ask for a password. */
function asRoot() {
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : null;
}

function run(command) {
  console.log(`keychain: ${command.join(' ')}`);
  return spawnSync(command[0], command.slice(1), { stdio: 'inherit', cwd: root }).status === 0;
}

function main() {
  const failure = keytarError();
  if (!failure) {
    console.log('keychain: keytar is ready; Septet keeps sign-in and offline music in the OS keychain.');
    return;
  }
  console.log(`keychain: keytar could not load (${failure}).`);
  const isDebian = process.platform === 'linux' && existsSync('/usr/bin/dpkg-query');
  if (!isDebian) {
    console.log('keychain: install your system’s libsecret development files, then run: npm rebuild keytar');
    return;
  }
  const missing = missingDebianPackages();
  const aptLine = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const prefix = asRoot();
  if (missing.length > 0 && !prefix) {
    console.log(
      `keychain: to keep sign-in and offline music, run: sudo sh -c '${aptLine}' && npm rebuild keytar`,
    );
    return;
  }
  if (missing.length > 0) {
    const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
    if (
      !run([...prefix, 'apt-get', 'update', '-qq']) ||
      !run([...prefix, ...env, 'apt-get', 'install', '-y', '--no-install-recommends', ...missing])
    ) {
      console.log(
        `keychain: the packages did not install; run: sudo sh -c '${aptLine}' && npm rebuild keytar`,
      );
      return;
    }
  }
  // npm drops an optional dependency that failed to build: then a new `npm install` builds it.
  if (!existsSync(join(root, 'node_modules/keytar/package.json'))) {
    console.log('keychain: the system packages are in place; run `npm install` once more to build keytar.');
    return;
  }
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
  run([...npm, 'rebuild', 'keytar']);
  const after = keytarError();
  console.log(
    after
      ? `keychain: keytar still does not load (${after}); see README "Where data lives".`
      : 'keychain: keytar rebuilt; Septet keeps sign-in and offline music in the OS keychain.',
  );
}

try {
  main();
} catch (error) {
  // Never fail `npm install` over the optional keychain: the app explains what it cannot keep.
  console.log(`keychain: setup skipped (${error instanceof Error ? error.message : String(error)})`);
}
