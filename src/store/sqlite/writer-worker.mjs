// Entry of the writer thread. A worker thread does not get its parent's TypeScript loader (neither the
// tsx API registration of bin/respite.mjs nor an inherited `--import tsx`), so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./writer-loop.ts');
