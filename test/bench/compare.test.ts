import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const SMALL = ['--agents', '200', '--rounds', '2', '--round-size', '2000', '--pairs', '1'];

function compare(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/compare.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  const lines = run.stdout.trim().split('\n');
  return { status: run.status, stderr: run.stderr, last: run.status === 0 ? JSON.parse(lines.at(-1)!) : undefined };
}

describe('bench:compare', () => {
  test('compares the working tree with a commit in alternating rounds, then removes the commit checkout', () => {
    const worktreesBefore = git('worktree', 'list', '--porcelain');
    const { status, stderr, last } = compare('--ref', 'HEAD', ...SMALL);
    assert.equal(status, 0, stderr);
    assert.equal(last.commit, git('rev-parse', 'HEAD'));
    assert.equal(last.rounds, 2);
    assert.equal(last.pairSpeedups.length, 1);
    assert.ok(last.headPerSec > 0 && last.basePerSec > 0 && Number.isFinite(last.speedup) && last.speedup > 0, JSON.stringify(last));
    // Both sides report every round.
    assert.match(stderr, /round 1\/2: working tree [\d,]+\/s, base [\d,]+\/s/);
    assert.match(stderr, /round 2\/2: working tree [\d,]+\/s, base [\d,]+\/s/);
    assert.equal(git('worktree', 'list', '--porcelain'), worktreesBefore);
  });

  test('--control runs the working tree against itself, with no checkout', () => {
    const { status, stderr, last } = compare('--control', ...SMALL);
    assert.equal(status, 0, stderr);
    assert.equal(last.ref, 'control');
    assert.equal(last.commit, null);
    assert.match(stderr, /against itself \(control\)/);
  });

  test('refuses a ref that names no commit, and a round count that is not a positive integer', () => {
    const unknown = compare('--ref', 'no-such-ref-anywhere', ...SMALL);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /--ref no-such-ref-anywhere is not a commit of this repository/);
    const zero = compare('--control', '--rounds', '0');
    assert.equal(zero.status, 2);
    assert.match(zero.stderr, /--rounds must be a positive integer, not 0/);
  });
});
