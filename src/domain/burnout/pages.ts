// Typed-array pages that grow a page at a time, with copy-on-write cuts: a snapshot reads the pages as
// they were when its cut opened, however long it takes to encode and write, without copying them up
// front (at 100,000 agents the baselines' pages are ~37 MB). Reads go to `list` directly (hot paths);
// every write goes through `writable`, which copies a page the open cut still needs as it was.

export type PageArray = Uint32Array | Float64Array;

/** `Pages.beginCut()`: the pages as they were when it was called, until `end()`. */
export interface PagesCut<A extends PageArray> {
  /** Pages at the cut; later ones are not part of it. */
  count: number;
  page(p: number): A;
  end(): void;
}

export class Pages<A extends PageArray> {
  readonly list: A[] = [];
  private cut: { count: number; originals: Map<number, A> } | null = null;

  constructor(private readonly newPage: () => A) {}

  /** Appends a fresh page. */
  add(): A {
    const page = this.newPage();
    this.list.push(page);
    return page;
  }

  /** Page `p`, about to be written: copied first if an open cut still needs it as it was. */
  writable(p: number): A {
    const page = this.list[p];
    const cut = this.cut;
    if (cut !== null && p < cut.count && !cut.originals.has(p)) cut.originals.set(p, page.slice() as A);
    return page;
  }

  beginCut(): PagesCut<A> {
    if (this.cut !== null) throw new Error('a cut of these pages is open already');
    const cut = { count: this.list.length, originals: new Map<number, A>() };
    this.cut = cut;
    return {
      count: cut.count,
      page: (p) => cut.originals.get(p) ?? this.list[p],
      end: () => {
        if (this.cut === cut) this.cut = null;
      },
    };
  }

  /** Appends the pages of `whole` (pages end to end, as a cut wrote them), copied. */
  load(whole: A, pageLength: number): void {
    for (let at = 0; at < whole.length; at += pageLength) this.list.push(whole.slice(at, at + pageLength) as A);
  }
}
