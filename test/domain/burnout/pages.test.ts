// Copy-on-write pages: a cut reads every page as it was when the cut opened, while the live pages change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pages } from '../../../src/domain/burnout/pages.ts';

const pagesOf = (n: number) => {
  const pages = new Pages<Uint32Array>(() => new Uint32Array(4));
  for (let p = 0; p < n; p++) pages.add().fill(p + 1);
  return pages;
};

test('a cut reads pages as they were at the cut, while writes change the live pages', () => {
  const pages = pagesOf(3);
  const cut = pages.beginCut();
  pages.writable(1)[0] = 99;
  pages.writable(1)[1] = 98; // a second write to the same page keeps the first copy
  assert.deepEqual([...cut.page(1)], [2, 2, 2, 2]);
  assert.deepEqual([...pages.list[1]], [99, 98, 2, 2]);
  assert.equal(cut.page(0), pages.list[0], 'an unchanged page is read live, not copied');
  cut.end();
});

test('pages added after the cut are not part of it', () => {
  const pages = pagesOf(2);
  const cut = pages.beginCut();
  pages.add().fill(7);
  assert.equal(cut.count, 2);
  pages.writable(2)[0] = 8;
  assert.equal(pages.list.length, 3);
  cut.end();
});

test('after end() writes copy nothing, and a new cut can open; two at once are refused', () => {
  const pages = pagesOf(2);
  const first = pages.beginCut();
  assert.throws(() => pages.beginCut(), /open already/);
  first.end();
  pages.writable(0)[0] = 5;
  assert.equal(first.page(0), pages.list[0], 'the ended cut no longer kept a copy');
  const second = pages.beginCut();
  assert.deepEqual([...second.page(0)], [5, 1, 1, 1]);
  second.end();
});

test('load() splits pages written end to end back into pages', () => {
  const pages = new Pages<Float64Array>(() => new Float64Array(2));
  pages.load(Float64Array.from([1, 2, 3, 4, 5, 6]), 2);
  assert.deepEqual(pages.list.map((p) => [...p]), [[1, 2], [3, 4], [5, 6]]);
});
