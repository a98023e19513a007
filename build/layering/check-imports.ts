// Checks every import of every source file against the layer table (layers.ts).
// Imports are found by TypeScript's own pre-processor (static, type-only,
// dynamic, require and re-exports alike), not by a regular expression.

import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { TEST_FILE_PACKAGES, type Layer } from './layers.js';

export interface ImportViolation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly why: string;
}

const SOURCE = /\.(ts|tsx|cts|mts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'release', '.git', 'artifacts', 'test-results']);
const BUILTINS = new Set(builtinModules);

/** Every source file under `root`, as repository-relative paths with '/'. */
export function sourceFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) out.push(...sourceFiles(root, rel));
    } else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

/** The layer a repository path belongs to: the longest matching folder. */
export function layerOf(layers: readonly Layer[], file: string): Layer | undefined {
  let best: Layer | undefined;
  for (const l of layers) {
    if ((file === l.folder || file.startsWith(`${l.folder}/`)) && (best === undefined || l.folder.length > best.folder.length)) best = l;
  }
  return best;
}

/** The npm package a bare specifier names: `react-dom/client` → react-dom, `@a/b/c` → @a/b. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isInside(target: string, folder: string): boolean {
  return target === folder || target.startsWith(`${folder}/`);
}

/** Checks one file's text; `file` is its repository path. */
export function checkFile(layers: readonly Layer[], file: string, text: string): ImportViolation[] {
  const layer = layerOf(layers, file);
  if (layer === undefined) return [{ file, line: 1, specifier: '', why: `${file} is in no layer: add its folder to build/layering/layers.ts` }];
  const isTest = /\.test\.tsx?$/.test(file);
  const node = layer.node || isTest;
  const packages = isTest ? [...layer.packages, ...TEST_FILE_PACKAGES] : layer.packages;
  const found = ts.preProcessFile(text, true, true).importedFiles;
  const violations: ImportViolation[] = [];
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  for (const { fileName: spec, pos } of found) {
    const at = { file, line: lineOf(pos), specifier: spec };
    if (spec.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const own = layerOf(layers, target);
      if (own === layer) continue;
      const allowed = layer.mayImport.some((f) => isInside(target, f));
      if (!allowed) {
        const may = [layer.folder, ...layer.mayImport].join(', ');
        violations.push({ ...at, why: `${layer.folder} may not import ${own?.folder ?? target} (it may import: ${may})` });
      }
    } else if (spec.startsWith('node:') || BUILTINS.has(spec)) {
      if (!node) violations.push({ ...at, why: `${layer.folder} may not use Node's built-in modules (${spec})` });
    } else if (!packages.includes(packageName(spec))) {
      const may = packages.length > 0 ? packages.join(', ') : 'none';
      violations.push({ ...at, why: `${layer.folder} may not import the package ${packageName(spec)} (its packages: ${may})` });
    }
  }
  return violations;
}

export function formatViolation(v: ImportViolation): string {
  return `${v.file}:${v.line} imports '${v.specifier}': ${v.why}`;
}
