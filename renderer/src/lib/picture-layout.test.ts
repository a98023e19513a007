import { describe, expect, it } from 'vitest';
import { fitText, layoutColumns, textWidth } from './picture-layout.js';

const HUB = 21;

describe('layoutColumns', () => {
  it('gives each column the width its text needs when there is room, and centres the drawing', () => {
    const l = layoutColumns(900, { nic: 100, leg: 140, peer: 120 }, HUB);
    expect([l.nicW, l.legW, l.peerW]).toEqual([100, 140, 120]);
    const left = l.xNic;
    const right = 900 - (l.xPeer + l.peerW);
    expect(Math.abs(left - right)).toBeLessThan(1);
    // Boxes do not overlap the hub or each other.
    expect(l.xNic + l.nicW).toBeLessThan(l.xHub - HUB);
    expect(l.xHub + HUB).toBeLessThan(l.xLeg);
    expect(l.xLeg + l.legW).toBeLessThan(l.xPeer);
  });
  it('on a narrow card, cuts the adapter name first, then the widest boxes', () => {
    // The preview: a long adapter name beside a provider leg and its learned VTEPs, in a 530 px card.
    const l = layoutColumns(530, { nic: 308, leg: 164, peer: 152 }, HUB);
    expect(l.xPeer + l.peerW).toBeLessThanOrEqual(530);
    expect(l.nicW).toBeLessThan(308);
    expect(l.nicW).toBeGreaterThanOrEqual(100);
    expect(l.legW).toBeGreaterThan(140);
    expect(l.peerW).toBeGreaterThan(130);
    // The two-site e2e: everything fits untouched.
    const e = layoutColumns(480, { nic: 80, leg: 157, peer: 118 }, HUB);
    expect([e.nicW, e.legW, e.peerW]).toEqual([80, 157, 118]);
  });
  it('shrinks the boxes to fit a narrow card', () => {
    const l = layoutColumns(420, { nic: 200, leg: 200, peer: 200 }, HUB);
    expect(l.xPeer + l.peerW).toBeLessThanOrEqual(420);
    expect(l.xNic).toBeGreaterThanOrEqual(0);
    expect(l.legW).toBeLessThan(200);
  });
  it('leaves out the adapter column when there is no adapter leg', () => {
    const l = layoutColumns(600, { nic: 0, leg: 140, peer: 120 }, HUB);
    expect(l.nicW).toBe(0);
    expect(l.xHub - HUB).toBeCloseTo(l.xNic, 5);
  });
});

describe('fitText', () => {
  it('keeps text that fits and cuts what does not, with an ellipsis', () => {
    expect(fitText('L1 · VXLAN unicast', textWidth('L1 · VXLAN unicast', 11.5, 'bold'), 11.5, 'bold')).toBe('L1 · VXLAN unicast');
    const cut = fitText('L1 · VXLAN unicast', 80, 11.5, 'bold');
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, 11.5, 'bold')).toBeLessThanOrEqual(80);
  });
});
