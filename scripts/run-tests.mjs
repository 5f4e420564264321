#!/usr/bin/env node
// Node 20's test runner has no recursive globbing for .ts files: collect them here and hand them over.
// The whole suite starts with the type checker: tsx runs TypeScript without checking its types, so a
// type error would otherwise pass every test.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = collect('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
if (filters.length === 0) {
  const typecheck = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit'], { stdio: 'inherit' });
  if (typecheck.status !== 0) {
    console.error('npm test: the type check failed (npm run typecheck shows it alone)');
    process.exit(typecheck.status ?? 1);
  }
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
