/**
 * The rule map in matrix/README.md (rule id → function → test files) is read by people looking for where a rule
 * lives; nothing else would notice when it drifts from SPEC or the tree. So it is checked as data: every SPEC rule
 * has a row, every file it names exists, and every function it names is defined in that file.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');
// SPEC sits next to the repository (the README links it there); the map is only as good as its list of rules.
const specFile = path.join(root, '../shared/SPEC.md');
const readmeFile = path.join(root, 'matrix/README.md');

const RULE_ID = /\b[ADMORSCL]\d{1,2}\b/g;

interface Row {
  rule: string;
  functions: { file: string; name: string }[];
  tests: string[];
  notYet: boolean;
}

const codeSpans = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

function readRuleMap(markdown: string): Row[] {
  return markdown
    .split('\n')
    .map((line) => /^\|\s*([ADMORSCL]\d{1,2})\s*\|([^|]*)\|([^|]*)\|\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, rule, functionCell, testCell]) => ({
      rule,
      functions: codeSpans(functionCell).map((span) => {
        const [file, name] = span.split(':');
        return { file, name };
      }),
      tests: codeSpans(testCell),
      notYet: functionCell.trim() === 'not yet',
    }));
}

/** A definition, not a mere mention: a function, class or constant, or a method of an object or class. */
const defines = (source: string, name: string): boolean =>
  new RegExp(`\\b(function|class|const|let)\\s+${name}\\b|^\\s*(async\\s+)?${name}\\s*[(<]`, 'm').test(source);

describe('the rule map in matrix/README.md', () => {
  if (!fs.existsSync(specFile)) throw new Error(`SPEC not found at ${specFile}: the rule map is checked against it`);
  const specRules = [...new Set(fs.readFileSync(specFile, 'utf8').match(RULE_ID))];
  const rows = readRuleMap(fs.readFileSync(readmeFile, 'utf8'));

  it('has one row for every SPEC rule, and none for a rule SPEC lacks', () => {
    const mapped = rows.map((row) => row.rule);
    expect(specRules.length).toBeGreaterThan(40);
    expect(specRules.filter((rule) => !mapped.includes(rule))).toEqual([]);
    expect(mapped.filter((rule) => !specRules.includes(rule))).toEqual([]);
    expect(mapped.filter((rule, index) => mapped.indexOf(rule) !== index)).toEqual([]);
  });

  it('names functions and tests for every rule that is not marked "not yet"', () => {
    const incomplete = rows.filter((row) => !row.notYet && (row.functions.length === 0 || row.tests.length === 0));
    expect(incomplete.map((row) => row.rule)).toEqual([]);
  });

  it('names only files that exist, and functions defined in the file named', () => {
    const problems = rows.flatMap((row) => [
      ...row.functions.flatMap(({ file, name }) => {
        const full = path.join(root, file);
        if (!name) return [`${row.rule}: \`${file}\` is not written as file:function`];
        if (!fs.existsSync(full)) return [`${row.rule}: ${file} does not exist`];
        return defines(fs.readFileSync(full, 'utf8'), name) ? [] : [`${row.rule}: ${name} is not defined in ${file}`];
      }),
      ...row.tests.filter((file) => !fs.existsSync(path.join(root, file))).map((file) => `${row.rule}: ${file} does not exist`),
    ]);
    expect(problems).toEqual([]);
  });
});
