// Builds and runs the real masthead binary for the browser tests: a fresh
// data folder per test file, staff accounts made with `masthead user add`,
// and `masthead serve` on a free port of 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// A scratch folder for one test file; removed by the returned cleanup unless
// E2E_KEEP is set (then its path is printed, for the screenshots and logs).
export function scratchDir(name) {
  const dir = mkdtempSync(path.join(tmpdir(), `masthead-e2e-${name}-`));
  return {
    dir,
    cleanup() {
      if (process.env.E2E_KEEP) {
        console.log(`# kept ${dir}`);
        return;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// buildMasthead compiles ./cmd/masthead into dir, or returns $MASTHEAD_BIN
// when it is set (to test a binary built elsewhere).
export function buildMasthead(dir) {
  if (process.env.MASTHEAD_BIN) return process.env.MASTHEAD_BIN;
  const bin = path.join(dir, 'masthead');
  const res = spawnSync('go', ['build', '-tags', 'nodynamic', '-o', bin, './cmd/masthead'], { cwd: repoRoot, encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`go build ./cmd/masthead failed (${res.error ?? res.status}):\n${res.stderr}`);
  }
  return bin;
}

// addUser runs `masthead user add`, giving the password on standard input
// as a script would.
export function addUser(bin, dataDir, { email, name, role, password }) {
  const res = spawnSync(bin, ['user', 'add', '--data', dataDir, '--email', email, '--name', name, '--role', role],
    { input: password + '\n', encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`masthead user add ${email} failed (${res.error ?? res.status}):\n${res.stdout}${res.stderr}`);
  }
}

// startMasthead runs `masthead serve` on a free port with dataDir and
// resolves to { url, listen, logs(), stdout(), stop() } once it prints the URL
// it serves (url is --base-url when given; listen the host:port it listens on).
export async function startMasthead(bin, dataDir, extraArgs = []) {
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--data', dataDir, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s) => { stderr += s; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const { base: url, listen } = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`masthead serve printed no URL within 60s:\n${stdout}${stderr}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (s) => {
      stdout += s;
      const m = /running at (https?:\/\/\S+) \(listening on (\S+)\)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ base: m[1], listen: m[2] });
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`masthead serve exited (${code ?? signal}) before serving:\n${stdout}${stderr}`));
    });
  });
  return {
    url,
    listen,
    logs: () => stderr,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 30_000).unref());
      const res = await Promise.race([exited, timeout]);
      if (res === null) {
        child.kill('SIGKILL');
        throw new Error('masthead serve did not stop within 30s of SIGTERM');
      }
      if (res.code !== 0) {
        throw new Error(`masthead serve exited with ${res.code ?? res.signal}:\n${stderr}`);
      }
    },
  };
}
