// Entry of the checkpointer thread (see writer-worker.mjs for why the TypeScript loader is registered here).
import { register } from 'tsx/esm/api';

register();
await import('./checkpoint-loop.ts');
