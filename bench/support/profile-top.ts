/**
 * `node -r @swc-node/register bench/support/profile-top.ts <dir> [count]`: the functions with the most self time
 * in the V8 CPU profiles (`*.cpuprofile`) under <dir>, as CALLMATRIX_BENCH_PROFILE writes them, summed over the
 * files (one per thread), with each one's share of the busy samples (idle ones left out); then the same summed by
 * where the code lives (a package, the workflow bundle, Node itself, callmatrix's folders). Where the worker's CPU goes, without
 * opening DevTools. Native threads (the SDK's Rust core) are not in V8 profiles: their work shows only as the
 * calls into core-bridge.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function profilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return profilesUnder(file);
    return entry.name.endsWith('.cpuprofile') ? [file] : [];
  });
}

/** The package a frame's code belongs to, `workflow bundle`, `node`, or `callmatrix` for the project's own. */
function origin({ url, functionName }: ProfileNode['callFrame']): string {
  if (url.includes('workflow-bundle')) return 'workflow bundle (workflows, their imports, the SDK inside the sandbox)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:') || url === '') return functionName.startsWith('(') ? functionName : 'node (built-ins, natives)';
  if (url.includes('evalmachine')) return 'workflow sandbox (vm glue)';
  // The project's own code, by folder: zoho/ (the client), temporal/ (the payload codec, contracts), activities/…
  const folder = /\/(app|activities|common|config|http|matrix|observability|telephony|temporal|worker|zoho|bench|packages\/[^/]+)\//.exec(url);
  return `callmatrix ${folder ? `${folder[1]}/` : '(other)'}`;
}

/** `function (package or file:line)`, short enough to read in a table. */
function label({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(bench|app|workflows|activities|zoho|temporal|matrix|worker|http)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
}

function main() {
  const [dir, countText = '25'] = process.argv.slice(2);
  if (!dir || !fs.existsSync(dir)) throw new Error(`usage: profile-top.ts <dir with .cpuprofile files> [count]; got ${dir ?? 'no dir'}`);
  const selfMicros = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let totalMicros = 0;
  for (const file of profilesUnder(dir)) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id);
      if (!frame || frame.functionName === '(idle)') return;
      const micros = profile.timeDeltas[i] ?? 0;
      totalMicros += micros;
      const name = label(frame);
      selfMicros.set(name, (selfMicros.get(name) ?? 0) + micros);
      byOrigin.set(origin(frame), (byOrigin.get(origin(frame)) ?? 0) + micros);
    });
  }
  const print = (entries: Map<string, number>, count: number) => {
    for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count))
      process.stdout.write(`${((100 * micros) / totalMicros).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  };
  process.stdout.write(`${(totalMicros / 1e6).toFixed(1)} s of busy samples in ${dir}\n\nby function (self time):\n`);
  print(selfMicros, Number(countText));
  process.stdout.write('\nby where the code lives:\n');
  print(byOrigin, 20);
}

main();
