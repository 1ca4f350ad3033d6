// The Chromium that the e2e tests and the benchmarks drive: Debian's package (Playwright cannot
// download its own browsers here), launched headless with the flags this machine needs.
export const chromiumPath = process.env.SEPTET_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  // Let <audio> start without a user gesture check failing in automation.
  '--autoplay-policy=no-user-gesture-required',
];
