// Entry of an intake worker thread (see intake-pool.ts). A worker thread does not get its parent's
// TypeScript loader, so register it here (as the database writer's entry does).
import { register } from 'tsx/esm/api';

register();
await import('./intake-loop.ts');
