// The release workflow cannot run here (no Electron binary, no network, no
// Windows): this checks its structure against the files it depends on, so that
// a renamed script, artifact or spec fails `npm test` instead of the next release.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const WORKFLOW = '.github/workflows/release.yml';
/** The smoke spec next to this file, as the workflow names it (repository-relative, '/'). */
const SMOKE_SPEC = path.relative(root, path.join(here, 'smoke.spec.mjs')).split(path.sep).join('/');

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
}
interface Job {
  readonly 'runs-on': string;
  readonly steps: readonly Step[];
}
interface Workflow {
  readonly on: unknown;
  readonly jobs: Readonly<Record<string, Job>>;
}
interface BuilderTarget {
  readonly target: string;
  readonly arch: readonly string[];
}
interface BuilderConfig {
  readonly productName: string;
  readonly directories: { readonly output: string };
  readonly win: { readonly target: readonly BuilderTarget[]; readonly artifactName: string };
  readonly linux: { readonly target: readonly BuilderTarget[]; readonly artifactName: string };
}

const readYaml = <T>(rel: string): T => parse(fs.readFileSync(path.join(root, rel), 'utf8')) as T;
const workflow = readYaml<Workflow>(WORKFLOW);
const builder = readYaml<BuilderConfig>('build/electron-builder.yml');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The file name electron-builder gives an artifact, with the version left as a glob.
 *  `${arch}` as builder-util's getArtifactArchName spells x64 for that extension. */
function artifactGlob(pattern: string, ext: string): string {
  const arch = ext === 'AppImage' ? 'x86_64' : ext === 'deb' ? 'amd64' : 'x64';
  const name = pattern.replaceAll('${productName}', builder.productName).replaceAll('${version}', '*').replaceAll('${arch}', arch).replaceAll('${ext}', ext);
  if (name.includes('${')) throw new Error(`${pattern}: a macro this test does not know`);
  return `${builder.directories.output}/${name}`;
}

const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));
/** Index of the one step that matches; fails if none or several do. */
function stepIndex(job: Job, what: string, match: (s: Step) => boolean): number {
  const hits = job.steps.map((s, i) => (match(s) ? i : -1)).filter((i) => i >= 0);
  expect(hits, `${what}: expected exactly one step`).toHaveLength(1);
  return hits[0]!;
}
const runMatches = (re: RegExp) => (s: Step) => s.run !== undefined && re.test(s.run);
/** A step that runs a smoke spec with node (whichever file it names). */
const runsSmoke = runMatches(/\bnode\s+\S*smoke\.spec\.mjs\b/);
const uses = (action: string) => (s: Step) => s.uses !== undefined && s.uses.startsWith(`${action}@`);
const uploadPaths = (s: Step): string[] =>
  String(s.with?.path ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

const JOBS = [
  {
    id: 'windows',
    runner: 'windows-latest',
    dist: 'dist:win',
    artifacts: [artifactGlob(builder.win.artifactName, 'exe')],
    // rebuild-cap.js: MSVC reads extra options from CL.
    ndebug: ['CL', '/DNDEBUG'],
  },
  {
    id: 'linux',
    runner: 'ubuntu-latest',
    dist: 'dist:linux',
    artifacts: [artifactGlob(builder.linux.artifactName, 'AppImage'), artifactGlob(builder.linux.artifactName, 'deb')],
    ndebug: ['CXXFLAGS', '-DNDEBUG'],
  },
] as const;

describe(`${WORKFLOW}`, () => {
  it('has exactly the Windows and the Linux job, on the right runners', () => {
    expect(Object.keys(workflow.jobs).sort()).toEqual(['linux', 'windows']);
    for (const j of JOBS) expect(workflow.jobs[j.id]?.['runs-on'], j.id).toBe(j.runner);
  });

  it('installs with npm ci only, never npm install', () => {
    for (const j of JOBS) {
      const commands = runs(workflow.jobs[j.id]!).join('\n');
      expect(commands, j.id).toMatch(/\bnpm ci\b/);
      // npm's install command and all its aliases (npm help install).
      expect(commands, j.id).not.toMatch(/\bnpm\s+(install|i|in|ins|inst|insta|instal|isnt|isnta|isntal|isntall|add)\b/);
    }
  });

  describe.each(JOBS)('$id job', (j) => {
    const job = workflow.jobs[j.id]!;

    it('checks out, sets up Node 20, installs, tests, builds, packages, smoke-tests, uploads, in that order', () => {
      const order = [
        stepIndex(job, 'checkout', uses('actions/checkout')),
        stepIndex(job, 'setup-node', uses('actions/setup-node')),
        stepIndex(job, 'install', runMatches(/^npm ci\b/)),
        stepIndex(job, 'unit tests', runMatches(/^npm test$/)),
        stepIndex(job, 'build', runMatches(/^npm run build$/)),
        stepIndex(job, 'dist', runMatches(new RegExp(`^npm run ${j.dist}$`))),
        stepIndex(job, 'smoke test', runsSmoke),
        stepIndex(job, 'upload', (s) => uses('actions/upload-artifact')(s) && s.if === undefined),
      ];
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const setup = job.steps.find(uses('actions/setup-node'));
      expect(String(setup?.with?.['node-version'])).toBe('20');
    });

    it('packages with the script whose targets electron-builder.yml configures', () => {
      const script = pkg.scripts[j.dist];
      expect(script).toContain('--config build/electron-builder.yml');
      expect(script).toContain('--publish never');
      const targets = j.id === 'windows' ? builder.win.target : builder.linux.target;
      for (const t of targets) {
        expect(t.arch).toEqual(['x64']);
        expect(script).toContain(t.target);
      }
      expect(script).toMatch(/--x64\b/);
    });

    it('rebuilds cap for Electron with NDEBUG, as build/scripts/rebuild-cap.js does for Node', () => {
      const dist = job.steps.find(runMatches(new RegExp(`^npm run ${j.dist}$`)));
      expect(dist?.env?.[j.ndebug[0]]).toBe(j.ndebug[1]);
      expect(fs.readFileSync(path.join(root, 'build/scripts/rebuild-cap.js'), 'utf8')).toContain(j.ndebug[1]);
    });

    it("uploads electron-builder's artifacts: its output folder and artifact names", () => {
      const upload = job.steps.find((s) => uses('actions/upload-artifact')(s) && s.if === undefined);
      expect(new Set(uploadPaths(upload!))).toEqual(new Set(j.artifacts));
      expect(upload?.with?.['if-no-files-found']).toBe('error');
    });

    it('smoke-tests the installed package with the spec in this repository', () => {
      const smoke = job.steps.find(runsSmoke)!;
      const spec = /\bnode\s+(\S*smoke\.spec\.mjs)\b/.exec(smoke.run!)![1]!;
      expect(spec).toBe(SMOKE_SPEC);
      expect(fs.existsSync(path.join(root, spec)), spec).toBe(true);
      // The installer / deb it installs first is the artifact electron-builder names.
      const install = job.steps[job.steps.indexOf(smoke) - 1]!;
      const artifact = path.posix.basename(j.artifacts[j.artifacts.length - 1]!);
      expect(install.run ?? '', 'the step before the smoke test installs the package').toContain(artifact);
      if (j.id === 'linux') expect(smoke.run).toMatch(/^xvfb-run\b/);
    });
  });

  it('builds cap on Linux with the libpcap headers installed before npm ci', () => {
    const job = workflow.jobs.linux!;
    const apt = stepIndex(job, 'OS packages', runMatches(/apt-get install[^\n]*\blibpcap-dev\b/));
    expect(apt).toBeLessThan(stepIndex(job, 'install', runMatches(/^npm ci\b/)));
    expect(job.steps[apt]!.run).toMatch(/\bxvfb\b/);
  });
});
