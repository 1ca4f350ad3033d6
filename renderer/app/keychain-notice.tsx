// Said on the first screen (and kept on every page): this computer has no working keychain, so
// sign-in is not remembered and nothing can be kept offline — and how to fix it (issue 13).
import { useEffect, type ReactElement } from 'react';
import { Icon } from '../components/icons.js';
import { useSettingsActions, useVaultProblem } from '../stores/settings.js';

export function KeychainNotice(): ReactElement | null {
  const settings = useSettingsActions();
  const problem = useVaultProblem();
  useEffect(() => {
    void settings.loadInfo();
  }, [settings]);
  if (!problem) return null;
  return (
    <div className="banner banner-keychain" role="alert" aria-label="No keychain">
      <Icon name="lock" size={18} />
      <span className="banner-text">
        <strong>No keychain on this computer</strong>
        <span className="banner-detail">{problem}</span>
      </span>
    </div>
  );
}
