// How a store reaches React. The stores are created once by the composition root (main.tsx)
// with their dependencies, so each store has its own React context, provided by
// <StoresProvider>. A store module turns its context into named hooks — selector hooks that
// read one value, and an actions hook — so components never write selectors inline.
import { createContext, useContext, type Context } from 'react';
import { useStore, type StoreApi } from 'zustand';

/** The functions of a store's state: its actions. */
export type Actions<S> = {
  [K in keyof S as S[K] extends (...args: never[]) => unknown ? K : never]: S[K];
};

export type StoreContext<S> = {
  context: Context<StoreApi<S> | null>;
  /**
   * Subscribes the calling component to `selector(state)`: it re-renders when the selected
   * value changes (Object.is). Select a primitive or a reference the store keeps; a selector
   * that builds a new object needs useShallow.
   */
  useSelector<T>(selector: (state: S) => T): T;
  /**
   * The store's actions: one object per store, the same on every render (safe in effect
   * dependencies). Actions never change, so this subscribes to nothing.
   */
  useActions(): Actions<S>;
};

const actionsByStore = new WeakMap<StoreApi<unknown>, unknown>();

/** The functions of the store's state, collected once: zustand keeps them across set(). */
function actionsOf<S>(store: StoreApi<S>): Actions<S> {
  let actions = actionsByStore.get(store as StoreApi<unknown>) as Actions<S> | undefined;
  if (!actions) {
    const entries = Object.entries(store.getState() as object).filter(([, v]) => typeof v === 'function');
    actions = Object.fromEntries(entries) as Actions<S>;
    actionsByStore.set(store as StoreApi<unknown>, actions);
  }
  return actions;
}

export function createStoreContext<S>(name: string): StoreContext<S> {
  const context = createContext<StoreApi<S> | null>(null);
  context.displayName = `${name} store`;
  const useStoreApi = (): StoreApi<S> => {
    const store = useContext(context);
    if (!store) throw new Error(`the ${name} store is used outside <StoresProvider>`);
    return store;
  };
  return {
    context,
    useSelector: (selector) => useStore(useStoreApi(), selector),
    useActions: () => actionsOf(useStoreApi()),
  };
}
