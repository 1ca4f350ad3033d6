// Renders build/icon.svg into the PNG icons electron-builder needs (build/icons/NxN.png for
// Linux, build/icon.png 1024 px from which it makes .icns and .ico), offline, with the
// Chromium that Playwright drives (SEPTET_CHROMIUM or /usr/bin/chromium).
//   node build/make-icons.mjs [--if-missing]
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

export async function makeIcons({ ifMissing = false } = {}) {
  if (
    ifMissing &&
    existsSync(join(here, 'icon.png')) &&
    sizes.every((s) => existsSync(join(here, 'icons', `${s}x${s}.png`)))
  )
    return;
  const svg = await readFile(join(here, 'icon.svg'), 'utf8');
  await mkdir(join(here, 'icons'), { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.SEPTET_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    for (const size of sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`,
      );
      await page.screenshot({ path: join(here, 'icons', `${size}x${size}.png`), omitBackground: true });
    }
    await page.setViewportSize({ width: 1024, height: 1024 });
    await page.screenshot({ path: join(here, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await makeIcons({ ifMissing: process.argv.includes('--if-missing') });
  process.stdout.write('icons written to build/icons and build/icon.png\n');
}
