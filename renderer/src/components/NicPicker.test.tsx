// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_NICS } from '../testing/fake-api.js';
import { NicPicker } from './NicPicker.js';

afterEach(cleanup);

describe('NIC dropdown', () => {
  it('lists adapters with friendly names, addresses and flags, best first', () => {
    render(<NicPicker nics={SAMPLE_NICS} value="" onChange={() => {}} />);
    expect(screen.getByText(/dedicated adapter such as the Microsoft KM-TEST Loopback Adapter/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Network adapter' }));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options).toHaveLength(SAMPLE_NICS.length);
    expect(options[0]!.textContent).toContain('Microsoft KM-TEST Loopback Adapter');
    expect(options[0]!.textContent).toContain('recommended');
    expect(options[0]!.textContent).toContain('169.254.12.7');

    const wifi = options.find((o) => o.textContent!.includes('Wi-Fi 6 AX201'))!;
    expect(within(wifi).getByText('Wi-Fi')).toBeTruthy();
    const down = options.find((o) => o.textContent!.includes('Realtek USB'))!;
    expect(within(down).getByText('down')).toBeTruthy();
    expect(down.textContent).toContain('no IPv4 address');
    const lo = options.find((o) => o.textContent!.includes('loopback traffic'))!;
    expect(within(lo).getByText('loopback')).toBeTruthy();
    expect(within(lo).getByText('not usable')).toBeTruthy();
    expect(lo.getAttribute('aria-disabled')).toBe('true');
    // Unusable adapters sort last.
    expect(options[options.length - 1]).toBe(lo);
  });

  it('writes the friendly name into the leg and explains the choice', () => {
    const onChange = vi.fn();
    const { rerender } = render(<NicPicker nics={SAMPLE_NICS} value="" onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Network adapter' }));
    fireEvent.click(screen.getByRole('option', { name: /Wi-Fi 6/ }));
    expect(onChange).toHaveBeenCalledWith('Intel(R) Wi-Fi 6 AX201 160MHz', SAMPLE_NICS[2]);
    rerender(<NicPicker nics={SAMPLE_NICS} value="Intel(R) Wi-Fi 6 AX201 160MHz" onChange={onChange} />);
    expect(screen.getByText(/Wi-Fi adapters drop frames/)).toBeTruthy();
  });

  it('is keyboard operable', () => {
    const onChange = vi.fn();
    render(<NicPicker nics={SAMPLE_NICS} value="" onChange={onChange} />);
    const trigger = screen.getByRole('button', { name: 'Network adapter' });
    fireEvent.keyDown(trigger, { key: 'ArrowDown' });
    fireEvent.keyDown(trigger, { key: 'ArrowDown' });
    fireEvent.keyDown(trigger, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]![0]).toBe('Intel(R) Ethernet Connection I219-LM');
  });

  it('says when the leg names an adapter this computer does not have', () => {
    render(<NicPicker nics={SAMPLE_NICS} value="eth7" onChange={() => {}} />);
    expect(screen.getByText('Not found on this computer')).toBeTruthy();
  });
});
