// Element size for SVG charts (ResizeObserver; a fixed fallback where there is none,
// e.g. jsdom). A callback ref, so a remounted element is measured too.

import { useCallback, useLayoutEffect, useState } from 'react';

export function useElementSize<T extends HTMLElement>(fallback: { width: number; height: number }) {
  const [el, setEl] = useState<T | null>(null);
  const [size, setSize] = useState(fallback);
  const ref = useCallback((node: T | null) => setEl(node), []);
  useLayoutEffect(() => {
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        setSize((s) => (Math.abs(s.width - r.width) < 0.5 && Math.abs(s.height - r.height) < 0.5 ? s : { width: r.width, height: r.height }));
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [ref, size] as const;
}
