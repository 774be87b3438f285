/**
 * The README's layout table is a newcomer's first map of the tree; folders get added and moved, and nothing else
 * would notice when the table falls behind. Checked as data: every top-level folder has a row, and every row names
 * a folder that exists, unless the row says it is still coming.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');
// Not part of the source tree: dependencies, build output, local state (see .gitignore).
const NOT_SOURCE = new Set(['node_modules', 'dist', 'coverage']);

const rows = fs
  .readFileSync(path.join(root, 'README.md'), 'utf8')
  .split('\n')
  .map((line) => /^\| `([\w./-]+)\/` \|(.*)\|\s*$/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map(([, folder, what]) => ({ folder, coming: /\*\(coming\b/.test(what) }));

describe('the layout table in README.md', () => {
  it('has a row for every top-level folder', () => {
    const folders = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name))
      .map((entry) => entry.name);
    const listed = rows.map((row) => row.folder.split('/')[0]);
    expect(folders.filter((folder) => !listed.includes(folder))).toEqual([]);
  });

  it('names only folders that exist, except those marked as coming', () => {
    const missing = rows.filter((row) => !row.coming && !fs.existsSync(path.join(root, row.folder)));
    expect(missing.map((row) => row.folder)).toEqual([]);
  });
});
