/**
 * `node -r @swc-node/register bench/support/profile-top.ts <dir> [count]`: the functions with the most self time
 * in the V8 CPU profiles (`*.cpuprofile`) under <dir>, as CALLMATRIX_BENCH_PROFILE writes them, summed over the
 * files, with each one's share of all samples. Where the worker's CPU goes, without opening DevTools.
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

/** `function (package or file:line)`, short enough to read in a table. */
function label({ functionName, url, lineNumber }: ProfileNode['callFrame']): string {
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(bench|app|workflows|activities|zoho|temporal|matrix|worker|http)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
}

function main() {
  const [dir, countText = '25'] = process.argv.slice(2);
  if (!dir || !fs.existsSync(dir)) throw new Error(`usage: profile-top.ts <dir with .cpuprofile files> [count]; got ${dir ?? 'no dir'}`);
  const selfMicros = new Map<string, number>();
  let totalMicros = 0;
  for (const file of profilesUnder(dir)) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, label(node.callFrame)]));
    profile.samples.forEach((id, i) => {
      const micros = profile.timeDeltas[i] ?? 0;
      totalMicros += micros;
      const name = byId.get(id) ?? '?';
      selfMicros.set(name, (selfMicros.get(name) ?? 0) + micros);
    });
  }
  const top = [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, Number(countText));
  process.stdout.write(`${(totalMicros / 1e6).toFixed(1)} s of samples in ${dir}\n`);
  for (const [name, micros] of top) process.stdout.write(`${((100 * micros) / totalMicros).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
}

main();
