/**
 * The Zoho emulator is a workspace package for the demo, the tests and the benches: the production build
 * (`npm run build`, tsconfig.build.json) and the Docker image must not carry it, nor what only it, the tests and the
 * benches use (axios): the production dependencies are what the build loads. The build is the run's build of the
 * sources (test/support/test-build.ts: emitted for real, types unchecked for speed), and its file list inspected.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { TEST_BUILD_TIMEOUT_MS, testBuild, testBuildFiles } from '../support/test-build';

const root = path.join(__dirname, '../..');
const EMULATOR = /emulator/i;

describe('production build', () => {
  let outDir: string;
  let emitted: string[];

  beforeAll(async () => {
    outDir = await testBuild();
    emitted = testBuildFiles(outDir);
  }, TEST_BUILD_TIMEOUT_MS);

  it('emits the commands the image runs', () => {
    expect(emitted).toEqual(expect.arrayContaining(['cli/main.js', 'worker/create-worker.js', 'http/webhook-server.js']));
  });

  it('emits no file of the emulator package, nothing from outside the product folders', () => {
    expect(emitted.filter((file) => EMULATOR.test(file) || file.startsWith('..') || file.startsWith('packages/'))).toEqual([]);
  });

  it('depends in production on what the build loads, and on nothing else but the source runner', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const loaded = new Set(
      emitted
        .filter((file) => file.endsWith('.js'))
        .flatMap((file) => [...fs.readFileSync(path.join(outDir, file), 'utf8').matchAll(/\brequire\("([^".][^"]*)"\)/g)].map((match) => match[1]))
        .map((request) => /^(@[^/]+\/[^/]+|[^/]+)/.exec(request)![1])
        .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name)),
    );
    // bin/callmatrix runs the TypeScript sources through SWC where there is no build (a clone, `npm start`).
    const sourceRunner = ['@swc-node/register', '@swc/core'];
    const production = Object.keys(manifest.dependencies);
    // A package only the tests, the benches or the emulators use (axios) is a devDependency.
    expect(production.filter((name) => !loaded.has(name) && !sourceRunner.includes(name))).toEqual([]);
    // The demo path's emulator is left out of the image on purpose (below).
    expect([...loaded].filter((name) => !production.includes(name) && name !== '@callmatrix/zoho-emulator')).toEqual([]);
  });

  it('loads the emulator only by dynamic import, on the demo path', () => {
    const requiring = emitted.filter((file) => fs.readFileSync(path.join(outDir, file), 'utf8').includes('@callmatrix/zoho-emulator'));
    expect(requiring).toEqual(['cli/demo.js']);
    const demo = fs.readFileSync(path.join(outDir, 'cli/demo.js'), 'utf8');
    // A static import compiles to a `require` at the top of the module; a dynamic one to a `require` inside a promise.
    expect(demo).not.toMatch(/^(const|var|let) \S+ = (__importDefault\()?require\("@callmatrix\/zoho-emulator"\)/m);
  });
});

describe('Docker image', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('leaves the emulators in the build stage, removed once the build is done and before the prune', () => {
    const [build] = stages;
    const run = build.split('\n').find((line) => line.startsWith('RUN npm run build'));
    expect(run).toBeDefined();
    const steps = run!.slice('RUN '.length).split(' && ');
    const removal = (name: string) =>
      steps.findIndex((step) => step.startsWith('rm -rf ') && step.includes(` packages/${name}`) && step.includes(` node_modules/@callmatrix/${name}`));
    const prune = steps.indexOf('npm prune --omit=dev');
    expect(steps[0]).toBe('npm run build');
    // A workspace package counts as a production dependency: pruned before it is gone, what only the emulators
    // depend on (axios) would stay in the image.
    for (const emulator of ['zoho-emulator', 'ringostat-emulator']) {
      expect({ emulator, removed: removal(emulator) > 0 }).toEqual({ emulator, removed: true });
      expect(prune).toBeGreaterThan(removal(emulator));
    }
  });

  it('copies nothing of the emulator into the image it runs', () => {
    const runtime = stages[stages.length - 1];
    const copies = runtime.split('\n').filter((line) => /^(COPY|ADD) /.test(line));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy).not.toMatch(/emulator|packages/);
  });
});
