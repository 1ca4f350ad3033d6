// Type-checks each runtime folder against its own tsconfig (its own lib and types), then the rest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['shared', 'electron', 'emulator', 'renderer', '.'];
let failed = false;
for (const dir of projects) {
  const config = `${dir}/tsconfig.json`;
  if (!existsSync(config)) continue;
  const result = spawnSync('npx', ['tsc', '-p', config], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
