import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, formatViolation, sourceFiles } from './check-imports.js';
import { LAYERS } from './layers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('layering (build/layering/layers.ts)', () => {
  it('every import of every source file is allowed by the layer table', () => {
    const files = sourceFiles(root);
    expect(files.length).toBeGreaterThan(100);
    const violations = files.flatMap((f) => checkFile(LAYERS, f, fs.readFileSync(path.join(root, f), 'utf8')));
    // One line per offending import, with the file, the line and what the layer may import.
    expect(violations.map(formatViolation).join('\n')).toBe('');
  });

  const cases: readonly { name: string; file: string; text: string; why?: RegExp }[] = [
    { name: 'renderer → model', file: 'renderer/src/x.ts', text: "import { parseLeg } from '../../electron/model/leg-grammar.js';" },
    { name: 'renderer → engine', file: 'renderer/src/x.ts', text: "import { Bridge } from '../../electron/engine/bridge.js';", why: /renderer may not import electron\/engine/ },
    {
      name: 'renderer type-only → engine',
      file: 'renderer/src/x.ts',
      text: "import type { Clock } from '../../electron/engine/bridge-api.js';",
      why: /may not import electron\/engine/,
    },
    { name: 'renderer → node:fs', file: 'renderer/src/x.ts', text: "import * as fs from 'node:fs';", why: /built-in modules \(node:fs\)/ },
    { name: 'renderer → bare fs', file: 'renderer/src/x.ts', text: "const fs = require('fs');", why: /built-in modules \(fs\)/ },
    {
      name: 'model → contract',
      file: 'electron/model/x.ts',
      text: "export type { Profile } from '../contract/ipc-contract.js';",
      why: /electron\/model may not import electron\/contract/,
    },
    { name: 'model dynamic → engine', file: 'electron/model/x.ts', text: "await import('../engine/bridge.js');", why: /may not import electron\/engine/ },
    { name: 'engine → backend', file: 'electron/engine/x.ts', text: "import { createBackend } from '../backend/backend.js';", why: /may not import electron\/backend/ },
    { name: 'engine → a package', file: 'electron/engine/x.ts', text: "import { WebSocket } from 'ws';", why: /may not import the package ws/ },
    { name: 'native → engine ports', file: 'native/x.ts', text: "import type { CapturePort } from '../electron/engine/ports/capture-port.js';" },
    { name: 'native → engine bridge', file: 'native/x.ts', text: "import { Bridge } from '../electron/engine/bridge.js';", why: /native may not import electron\/engine/ },
    { name: 'a file outside every layer', file: 'misc/x.ts', text: '', why: /in no layer/ },
  ];
  it.each(cases)('$name', ({ file, text, why }) => {
    const v = checkFile(LAYERS, file, text);
    if (why === undefined) expect(v).toEqual([]);
    else expect(v.map(formatViolation).join('\n')).toMatch(why);
  });
});
