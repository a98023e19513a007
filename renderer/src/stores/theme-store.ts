// Light/dark: follows the system until the user picks one; the choice is kept.

import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'vxbridge.theme';

export interface ThemeStore {
  choice: ThemeChoice;
  system: Theme;
  theme: Theme;
  setChoice(c: ThemeChoice): void;
  /** light → dark → system → light … */
  cycle(): void;
  setSystem(t: Theme): void;
}

function readChoice(): ThemeChoice {
  try {
    const v = globalThis.localStorage?.getItem(KEY);
    return v === 'light' || v === 'dark' || v === 'system' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const resolve = (choice: ThemeChoice, system: Theme): Theme => (choice === 'system' ? system : choice);

export const useTheme = create<ThemeStore>()((set, get) => {
  const choice = readChoice();
  const system = systemTheme();
  return {
    choice,
    system,
    theme: resolve(choice, system),
    setChoice(c) {
      try {
        globalThis.localStorage?.setItem(KEY, c);
      } catch {
        /* storage disabled */
      }
      set({ choice: c, theme: resolve(c, get().system) });
    },
    cycle() {
      const order: ThemeChoice[] = ['light', 'dark', 'system'];
      get().setChoice(order[(order.indexOf(get().choice) + 1) % order.length]!);
    },
    setSystem(t) {
      set({ system: t, theme: resolve(get().choice, t) });
    },
  };
});

/** Keeps <html data-theme> in step with the store and the store with the OS. */
export function bindTheme(doc: Document = document): () => void {
  const apply = (t: Theme) => {
    doc.documentElement.dataset.theme = t;
    doc.documentElement.style.colorScheme = t;
  };
  apply(useTheme.getState().theme);
  const unsub = useTheme.subscribe((s) => apply(s.theme));
  let mq: MediaQueryList | null = null;
  const onChange = (e: MediaQueryListEvent) => useTheme.getState().setSystem(e.matches ? 'dark' : 'light');
  if (typeof matchMedia === 'function') {
    mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', onChange);
  }
  return () => {
    unsub();
    mq?.removeEventListener('change', onChange);
  };
}
