// A windowed table: only the rows in view (plus a few) are in the DOM, so a
// thousand peers updating several times a second stay smooth. Fixed row height,
// sticky header, click a header to sort.

import { useCallback, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactElement, type ReactNode } from 'react';

export interface Column<R> {
  readonly id: string;
  readonly header: ReactNode;
  /** CSS grid track, e.g. '1.5fr', '96px', 'minmax(120px, 1fr)'. */
  readonly width: string;
  readonly align?: 'left' | 'right' | 'center';
  readonly cell: (row: R) => ReactNode;
  readonly sort?: (a: R, b: R) => number;
  readonly title?: string;
}

export interface SortState {
  readonly id: string;
  readonly dir: 'asc' | 'desc';
}

export interface VirtualTableProps<R> {
  readonly rows: readonly R[];
  readonly columns: readonly Column<R>[];
  readonly rowKey: (row: R) => string;
  readonly rowClass?: (row: R) => string | undefined;
  readonly rowStyle?: (row: R) => CSSProperties | undefined;
  readonly rowHeight?: number;
  /** Viewport height in px (also the fallback where layout is unknown). */
  readonly height: number;
  readonly defaultSort?: SortState;
  readonly empty?: ReactNode;
  readonly label: string;
  readonly overscan?: number;
  /** Extra class on the table (e.g. 'compact': tighter cells). */
  readonly className?: string;
}

export function VirtualTable<R>({
  rows,
  columns,
  rowKey,
  rowClass,
  rowStyle,
  rowHeight = 30,
  height,
  defaultSort,
  empty,
  label,
  overscan = 6,
  className,
}: VirtualTableProps<R>): ReactElement {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewH, setViewH] = useState(height);
  const [sort, setSort] = useState<SortState | undefined>(defaultSort);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setViewH(el.clientHeight > 0 ? el.clientHeight : height);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [height]);

  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.id === sort.id);
    if (!col?.sort) return rows;
    const s = [...rows].sort(col.sort);
    return sort?.dir === 'desc' ? s.reverse() : s;
  }, [rows, columns, sort]);

  const onScroll = useCallback(() => {
    const el = viewport.current;
    if (el) setScrollTop(el.scrollTop);
  }, []);

  const template = columns.map((c) => c.width).join(' ');
  const total = sorted.length;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewH) / rowHeight) + overscan);
  const visible = sorted.slice(first, last);

  const toggle = (c: Column<R>) => {
    if (!c.sort) return;
    setSort((s) => (s?.id === c.id ? { id: c.id, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { id: c.id, dir: c.align === 'right' ? 'desc' : 'asc' }));
  };

  return (
    <div className={`vtable${className ? ` ${className}` : ''}`} role="table" aria-label={label} aria-rowcount={total + 1}>
      <div className="vtable-viewport" ref={viewport} onScroll={onScroll} style={{ height }}>
        <div className="vtable-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {columns.map((c) => {
            const dir = sort?.id === c.id ? sort.dir : undefined;
            return (
              <div
                key={c.id}
                role="columnheader"
                aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
                className={`vth align-${c.align ?? 'left'}${c.sort ? ' sortable' : ''}`}
                title={c.title}
              >
                {c.sort ? (
                  <button type="button" onClick={() => toggle(c)}>
                    {c.header}
                    <span className="sort-mark">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}</span>
                  </button>
                ) : (
                  c.header
                )}
              </div>
            );
          })}
        </div>
        {total === 0 ? (
          <div className="vtable-empty">{empty}</div>
        ) : (
          <div className="vtable-body" role="rowgroup" style={{ height: total * rowHeight }}>
            {visible.map((r, i) => {
              const index = first + i;
              return (
                <div
                  key={rowKey(r)}
                  role="row"
                  aria-rowindex={index + 2}
                  className={`vtr${index % 2 ? ' odd' : ''}${rowClass ? ` ${rowClass(r) ?? ''}` : ''}`}
                  style={{ ...rowStyle?.(r), gridTemplateColumns: template, height: rowHeight, transform: `translateY(${index * rowHeight}px)` }}
                >
                  {columns.map((c) => (
                    <div key={c.id} role="cell" className={`vtd align-${c.align ?? 'left'}`}>
                      {c.cell(r)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
