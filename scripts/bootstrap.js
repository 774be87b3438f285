// Runs before `npm start` and `npm test`: makes a fresh clone runnable with no other step.
// Installs the npm dependencies when they are missing or older than the lock file, then the Temporal CLI.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function dependenciesStale() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(installed)) return true;
  return fs.statSync(path.join(root, 'package-lock.json')).mtimeMs > fs.statSync(installed).mtimeMs;
}

if (dependenciesStale()) {
  console.error('callmatrix: installing npm dependencies (npm ci) …');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

// Required only now: its own module has no dependencies, but keep the order obvious.
const { ensureTemporalCli } = require('./temporal-cli');
const cli = ensureTemporalCli();
if (process.env.CALLMATRIX_VERBOSE) console.error(`callmatrix: Temporal CLI at ${cli}`);
