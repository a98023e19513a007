// Columns of the bridge picture (adapters | segment hub | legs | remote VTEPs):
// each box as wide as its text needs, shrunk (text then ends in "…") when the
// card is narrow; spare width widens the gaps a little, the rest centres the drawing.

export interface ColumnNeeds {
  /** Widest adapter box; 0 when there is no adapter leg. */
  readonly nic: number;
  readonly leg: number;
  readonly peer: number;
}

export interface ColumnLayout {
  readonly xNic: number;
  readonly nicW: number;
  readonly xHub: number;
  readonly xLeg: number;
  readonly legW: number;
  readonly xPeer: number;
  readonly peerW: number;
}

const MARGIN = 4;
const MIN_GAP = 22;
const MAX_GAP = 96;
const MIN_BOX = 72;
/** The adapter's name is also in the Network adapter card: its box gives way first, down to this. */
const MIN_NIC = 104;

export function layoutColumns(width: number, need: ColumnNeeds, hubR: number): ColumnLayout {
  const hasNic = need.nic > 0;
  const gaps = hasNic ? 3 : 2;
  const avail = width - 2 * MARGIN - 2 * hubR - gaps * MIN_GAP;
  let w = [hasNic ? need.nic : 0, need.leg, need.peer];
  const total = w[0]! + w[1]! + w[2]!;
  if (total > avail) {
    // Too narrow: the adapter box gives way first, then the widest boxes (never below MIN_BOX);
    // text that no longer fits ends in "…".
    const nicCut = Math.min(total - avail, Math.max(0, w[0]! - MIN_NIC));
    w[0] = w[0]! - nicCut;
    if (total - nicCut > avail) {
      const cap = waterLevel(w, Math.max(0, avail));
      w = w.map((x) => (x === 0 ? 0 : Math.max(MIN_BOX, Math.min(x, cap))));
    }
  }
  const spare = Math.max(0, avail - (w[0]! + w[1]! + w[2]!));
  const grow = Math.min(spare / gaps, MAX_GAP - MIN_GAP);
  const gap = MIN_GAP + grow;
  const side = MARGIN + (spare - grow * gaps) / 2;
  const [nicW, legW, peerW] = w as [number, number, number];
  const xNic = side;
  const xHub = (hasNic ? xNic + nicW + gap : side) + hubR;
  const xLeg = xHub + hubR + gap;
  const xPeer = xLeg + legW + gap;
  return { xNic, nicW, xHub, xLeg, legW, xPeer, peerW };
}

/** The largest c with sum(min(w, c)) <= budget (the widest boxes are cut to c, the others keep their width). */
function waterLevel(widths: readonly number[], budget: number): number {
  const ws = widths.filter((x) => x > 0).sort((a, b) => a - b);
  let left = budget;
  for (let i = 0; i < ws.length; i++) {
    const share = left / (ws.length - i);
    if (ws[i]! >= share) return Math.floor(share);
    left -= ws[i]!;
  }
  return ws.length > 0 ? ws[ws.length - 1]! : 0;
}

/** Rough width in px of `text` at `px` font size: sans-serif ~0.62 em a character (bold ~0.66), monospace 0.61. */
export function textWidth(text: string, px: number, style: 'sans' | 'bold' | 'mono' = 'sans'): number {
  return Math.ceil(text.length * charWidth(px, style));
}

function charWidth(px: number, style: 'sans' | 'bold' | 'mono'): number {
  return px * (style === 'mono' ? 0.61 : style === 'bold' ? 0.66 : 0.62);
}

/** `text` cut to what fits in `width` px (with an ellipsis), by the same estimate as textWidth. */
export function fitText(text: string, width: number, px: number, style: 'sans' | 'bold' | 'mono' = 'sans'): string {
  if (textWidth(text, px, style) <= width) return text;
  const n = Math.max(1, Math.floor(width / charWidth(px, style)) - 1);
  return `${text.slice(0, n)}…`;
}
