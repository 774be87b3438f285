/**
 * Every environment variable the code reads is documented: the configuration's own (config/environment.ts, checked
 * against the README in docker-compose.test.ts) and those read directly with `process.env`, such as the bootstrap's
 * (scripts/). A workspace package documents its own in its README. The sources are read as text: a variable read
 * in a new file is checked without a list to keep up.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Not the product's sources: tests, benches, dependencies, builds. */
const SKIPPED = /^(test|bench|node_modules|dist|coverage)$|^\.|^\.test-build/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.test(entry.name) || entry.name === 'node_modules') return [];
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.(ts|js)$/.test(entry.name) ? [file] : [];
  });
}

/** The README that documents a file's variables: its workspace package's, else the repository's. */
function readmeOf(file: string): string {
  const pkg = /^packages\/[^/]+/.exec(path.relative(ROOT, file))?.[0];
  return path.join(ROOT, pkg ?? '', 'README.md');
}

const reads = sources(ROOT).flatMap((file) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)].map((match) => ({
    variable: match[1] ?? match[2],
    file: path.relative(ROOT, file),
    readme: readmeOf(file),
  })),
);

it('finds the variables read outside the configuration schema', () => {
  expect(reads.map((r) => r.variable)).toEqual(expect.arrayContaining(['TEMPORAL_CLI_PATH', 'CALLMATRIX_VERBOSE']));
});

/** Named in code in the README: alone (`XDG_CACHE_HOME`) or in a command (`CALLMATRIX_VERBOSE=1 npm start`). */
const inCode = (variable: string, readme: string) => new RegExp(`\`[^\`]*\\b${variable}\\b[^\`]*\``).test(fs.readFileSync(readme, 'utf8'));

it('documents each in the README of the code that reads it', () => {
  const undocumented = reads.filter(({ variable, readme }) => !inCode(variable, readme));
  expect(undocumented.map(({ variable, file, readme }) => `${variable} (read in ${file}) is not in ${path.relative(ROOT, readme)}`)).toEqual([]);
});
