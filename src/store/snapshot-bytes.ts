// Snapshot bytes as the store reads them: a length and copies of ranges, read chunk by chunk while the
// snapshot is written. The engine's snapshot is a list of segments, some read only when their chunk is
// written (the baselines' pages: a page changed meanwhile reads as it was, see Baselines.beginCut).
import type { SnapshotBytes } from './types.ts';

export interface Segment {
  length: number;
  /** The segment's bytes at the time of the read. */
  bytes(): Uint8Array;
}

/** A segment whose bytes are fixed when it is made. */
export const fixedSegment = (bytes: Uint8Array): Segment => ({ length: bytes.length, bytes: () => bytes });

export class SegmentedBytes implements SnapshotBytes {
  readonly byteLength: number;
  private readonly starts: number[] = [];

  constructor(private readonly segments: readonly Segment[]) {
    let at = 0;
    for (const segment of segments) {
      this.starts.push(at);
      at += segment.length;
    }
    this.byteLength = at;
  }

  static of(bytes: Uint8Array): SegmentedBytes {
    return new SegmentedBytes([fixedSegment(bytes)]);
  }

  /** A copy of `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.byteLength - offset)));
    let k = this.segmentAt(offset);
    for (let filled = 0; filled < out.length; k++) {
      const from = offset + filled - this.starts[k];
      const take = Math.min(this.segments[k].length - from, out.length - filled);
      if (take > 0) out.set(this.segments[k].bytes().subarray(from, from + take), filled);
      filled += Math.max(0, take);
    }
    return out;
  }

  /** The last segment starting at or before `offset` (binary search: reads walk a long list in order). */
  private segmentAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
