// Runs the preload the way a sandboxed renderer does: compiled to CommonJS,
// evaluated as a function of (require, process, exports, module) whose require
// knows only 'electron'. Checks what reaches the page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../contract/ipc-contract.js';

const source = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload.cts'), 'utf8');

interface Harness {
  exposed: Map<string, Record<string, unknown>>;
  invoked: [string, unknown[]][];
  listeners: Map<string, Set<(...a: unknown[]) => void>>;
  required: string[];
}

function runPreload(): Harness {
  const h: Harness = { exposed: new Map(), invoked: [], listeners: new Map(), required: [] };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: Record<string, unknown>) => h.exposed.set(key, value),
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        h.invoked.push([channel, args]);
        return Promise.resolve({ ok: true, value: channel });
      },
      on: (channel: string, l: (...a: unknown[]) => void) => {
        const set = h.listeners.get(channel) ?? new Set();
        set.add(l);
        h.listeners.set(channel, set);
      },
      removeListener: (channel: string, l: (...a: unknown[]) => void) => h.listeners.get(channel)?.delete(l),
    },
  };
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: 'preload.cts',
  }).outputText;
  const sandboxRequire = (id: string) => {
    h.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id}`); // what Electron's sandboxed preload require says
  };
  const fn = vm.runInNewContext(`(function (require, process, exports, module) {\n${js}\n})`, { Object, Error, TypeError, Promise }) as (...a: unknown[]) => void;
  const exports = {};
  fn(sandboxRequire, {}, exports, { exports });
  return h;
}

describe('preload (sandboxed)', () => {
  let h: Harness;
  let api: Record<string, unknown>;
  beforeAll(() => {
    h = runPreload();
    api = h.exposed.get('vxbridge') ?? {};
  });

  it('requires nothing but electron', () => {
    expect(h.required).toEqual(['electron']);
    expect(source).not.toMatch(/^import (?!type\b)(?!\{ contextBridge, ipcRenderer, type IpcRendererEvent \} from 'electron').*$/m);
  });

  it('exposes window.vxbridge only: one function per API method, onSnapshot, onEvent', () => {
    expect([...h.exposed.keys()]).toEqual(['vxbridge']);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(API_METHODS), 'onSnapshot', 'onEvent'].sort());
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i);
  });

  it('each method invokes its contract channel with its arguments', async () => {
    for (const [method, channel] of Object.entries(API_METHODS)) {
      const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
      await expect(fn('a', 2)).resolves.toEqual({ ok: true, value: channel });
      expect(h.invoked.at(-1)).toEqual([channel, ['a', 2]]);
    }
  });

  it('subscriptions pass the payload only and can be undone', () => {
    const got: unknown[] = [];
    const off = (api.onSnapshot as (l: (p: unknown) => void) => () => void)((p) => got.push(p));
    const offEv = (api.onEvent as (l: (p: unknown) => void) => () => void)((p) => got.push(p));
    const fakeEvent = { sender: { secret: true } };
    for (const l of h.listeners.get('bridge:snapshot') ?? []) l(fakeEvent, { running: true });
    for (const l of h.listeners.get('bridge:event') ?? []) l(fakeEvent, { type: 'warning' });
    expect(got).toEqual([{ running: true }, { type: 'warning' }]);
    off();
    offEv();
    expect(h.listeners.get('bridge:snapshot')?.size).toBe(0);
    expect(h.listeners.get('bridge:event')?.size).toBe(0);
    expect(() => (api.onSnapshot as (l: unknown) => void)('not a function')).toThrow(TypeError);
  });
});
