import { useEffect, type ReactElement } from 'react';
import type { ArtistView } from '../../../shared/ipc/contract.js';
import { ArtistRow } from '../../components/entity-rows.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { VirtualList } from '../../components/virtual-list.js';
import { useBrowse, useCatalogueActions } from '../../stores/catalogue.js';
import { useUiActions } from '../../stores/ui.js';

const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '#'];

export function BrowseView({ letter }: { letter: string }): ReactElement {
  const catalogue = useCatalogueActions();
  const ui = useUiActions();
  const browse = useBrowse();
  useEffect(() => {
    void catalogue.showLetter(letter);
  }, [letter, catalogue]);

  return (
    <section className="view view-fill" aria-labelledby="browse-title">
      <header className="view-header">
        <h1 id="browse-title">Browse artists</h1>
        <nav aria-label="Artists by letter" className="letters">
          {letters.map((l) => (
            <button
              key={l}
              type="button"
              className={`letter${l === letter ? ' is-on' : ''}`}
              aria-current={l === letter ? 'true' : undefined}
              aria-label={
                l === '#' ? 'Artists starting with a number or symbol' : `Artists starting with ${l}`
              }
              onClick={() => ui.navigate({ name: 'browse', letter: l })}
            >
              {l}
            </button>
          ))}
        </nav>
      </header>
      <div className="view-body">
        {browse.items.length === 0 ? (
          browse.status === 'error' ? (
            <ErrorState
              message={browse.error ?? 'Could not load artists'}
              onRetry={() => void catalogue.browseLetter(letter)}
            />
          ) : browse.status === 'ready' ? (
            <Empty title={`No artists under ${letter}`} />
          ) : (
            <Loading />
          )
        ) : (
          <VirtualList<ArtistView>
            items={browse.items}
            totalCount={browse.totalItems}
            rowHeight={64}
            label={`Artists under ${letter}`}
            getKey={(a, i) => `${a.id}-${i}`}
            onEndReached={() => void catalogue.browseMore()}
            footer={
              browse.status === 'loading' ? (
                <Loading label="Loading more…" />
              ) : browse.status === 'error' ? (
                <ErrorState
                  message={browse.error ?? 'Could not load more'}
                  onRetry={() => void catalogue.browseMore()}
                />
              ) : null
            }
            renderRow={(artist) => <ArtistRow artist={artist} />}
            onRowContextMenu={(artist, _i, at) => ui.openContextMenu({ kind: 'artist', artist }, at)}
          />
        )}
      </div>
    </section>
  );
}
