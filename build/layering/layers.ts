// The architecture as a table (in the spirit of vscode's `code-layering` lint
// rule): which folder may import which, which npm packages it may use, and
// whether it may use Node's built-in modules. layering.test.ts checks every
// import of every source file in the repository against it.
//
//                      model  (pure: no Node, no DOM, no packages)
//                        ▲
//          ┌─────────────┼───────────────┬────────────┐
//       contract      engine ◄── native  │            │
//          ▲             ▲         ▲     │            │
//          ├──── backend ┴─────────┘     │            │
//          │        ▲                    │            │
//        main ──────┤  cli ──────────────┘            │
//        preload    │                                 │
//        renderer ──┴── (model + contract only) ──────┘

export interface Layer {
  /** Folder (from the repository root); a file belongs to the longest folder that holds it. */
  readonly folder: string;
  /** Folders whose files this layer may import (its own folder always). */
  readonly mayImport: readonly string[];
  /** npm packages it may import (a package's sub-paths included). */
  readonly packages: readonly string[];
  /** Whether it may import Node's built-in modules (node:fs, dgram, …). */
  readonly node: boolean;
}

const TEST_TOOLS = ['vitest'];
/** Test files (*.test.ts, *.test.tsx) run in Node under vitest, whatever their layer:
 *  they may also use Node's built-ins and these packages (e.g. to load the sandboxed
 *  preload in a vm, compiled by TypeScript). Their imports of other folders follow their layer. */
export const TEST_FILE_PACKAGES = ['vitest', 'typescript'];

export const LAYERS: readonly Layer[] = [
  // Leg grammar, defaults, snapshot types: shared by every layer, so it depends on none.
  { folder: 'electron/model', mayImport: [], packages: TEST_TOOLS, node: false },
  // The IPC contract: the renderer loads it, so it holds only types and plain data.
  { folder: 'electron/contract', mayImport: ['electron/model'], packages: TEST_TOOLS, node: false },
  // The data plane: reaches the OS only through its ports.
  { folder: 'electron/engine', mayImport: ['electron/model'], packages: TEST_TOOLS, node: true },
  // pcap/Npcap: implements the engine's capture port.
  { folder: 'native', mayImport: ['electron/model', 'electron/engine/ports'], packages: [...TEST_TOOLS, 'cap'], node: true },
  // The service behind the Electron window and the browser host.
  {
    folder: 'electron/backend',
    mayImport: ['electron/model', 'electron/contract', 'electron/engine', 'native'],
    packages: [...TEST_TOOLS, 'ws', 'playwright-core'],
    node: true,
  },
  { folder: 'electron/cli', mayImport: ['electron/model', 'electron/contract', 'electron/engine', 'native', 'electron/backend'], packages: [...TEST_TOOLS, 'ws'], node: true },
  // Electron main and preload: thin, over the backend and the contract.
  { folder: 'electron/main', mayImport: ['electron/model', 'electron/contract', 'electron/backend'], packages: [...TEST_TOOLS, 'electron'], node: true },
  { folder: 'electron/preload', mayImport: ['electron/contract'], packages: [...TEST_TOOLS, 'electron'], node: false },
  // The UI: the model and the renderer-safe contract, nothing of Node.
  {
    folder: 'renderer',
    mayImport: ['electron/model', 'electron/contract'],
    packages: [...TEST_TOOLS, 'react', 'react-dom', 'zustand', '@testing-library/react', '@testing-library/user-event', '@testing-library/dom'],
    node: false,
  },
  // Renderer tooling (build config, dev preview, screenshots) runs in Node.
  { folder: 'renderer/dev', mayImport: ['renderer', 'electron/model', 'electron/contract'], packages: ['playwright-core', 'react', 'react-dom', 'vite'], node: true },
  { folder: 'renderer/vite.config.ts', mayImport: [], packages: ['vite', '@vitejs/plugin-react'], node: true },
  // Tests across processes and namespaces drive every layer but the UI's code.
  {
    folder: 'e2e',
    mayImport: ['electron/model', 'electron/contract', 'electron/engine', 'native', 'electron/backend', 'electron/cli'],
    packages: [...TEST_TOOLS, 'playwright-core', 'ws'],
    node: true,
  },
  { folder: 'bin', mayImport: ['dist/electron/cli'], packages: [], node: true },
  { folder: 'build', mayImport: [], packages: [...TEST_TOOLS, 'typescript'], node: true },
  // Release pipeline: the workflow's structure test (parses YAML) and the packaged-app smoke test.
  { folder: 'build/release-pipeline', mayImport: [], packages: [...TEST_TOOLS, 'yaml', 'playwright-core'], node: true },
  { folder: 'vitest.config.ts', mayImport: [], packages: ['vitest'], node: false },
  { folder: 'eslint.config.js', mayImport: [], packages: ['eslint', '@eslint/js', 'typescript-eslint', 'eslint-plugin-react-hooks', 'globals'], node: false },
];
