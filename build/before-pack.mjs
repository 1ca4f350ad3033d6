// electron-builder beforePack hook: make sure the generated icons exist (rendered from
// build/icon.svg by build/make-icons.mjs when missing).
import { makeIcons } from './make-icons.mjs';

export default async function beforePack() {
  await makeIcons({ ifMissing: true });
}
