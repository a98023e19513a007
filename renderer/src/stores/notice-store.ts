// Short-lived messages ("Copied", "Profile saved") in the corner.

import { create } from 'zustand';

export interface Notice {
  readonly id: number;
  readonly kind: 'ok' | 'error' | 'info';
  readonly text: string;
}

export interface NoticeStore {
  notices: readonly Notice[];
  push(kind: Notice['kind'], text: string, ms?: number): void;
  dismiss(id: number): void;
}

let seq = 0;

export const useNotices = create<NoticeStore>()((set, get) => ({
  notices: [],
  push(kind, text, ms = kind === 'error' ? 8000 : 3500) {
    const id = ++seq;
    set({ notices: [...get().notices.slice(-3), { id, kind, text }] });
    setTimeout(() => get().dismiss(id), ms);
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
}));

export const notify = (kind: Notice['kind'], text: string) => useNotices.getState().push(kind, text);
