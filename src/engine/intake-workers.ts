// How many intake worker threads by default, apart from the pool (intake-pool.ts): the settings read it,
// and importing the pool would load the whole intake (schemas, text analysis) into every CLI command.
import { availableParallelism } from 'node:os';

/** Worker threads by default: the cores left beside the engine's thread, at most 4. */
export const DEFAULT_INTAKE_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));
