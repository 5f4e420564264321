// TypeBox's values (Type, Value, TypeCompiler) from its CommonJS build, loaded with require; its types
// still come from '@sinclair/typebox' (import type). Why: under tsx every ES module goes through its
// loader hooks on another thread, ~2 ms each, and TypeBox's ES build is some 270 modules: 530–590 ms for
// each thread that loads it (the server's event loop, its writer and intake workers, every CLI command)
// against 150–170 ms for the CommonJS build. Schemas from either build are the same plain objects, with
// the same global symbols, so Fastify, Ajv and the compiler read them alike.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const { Type } = require('@sinclair/typebox') as typeof import('@sinclair/typebox');
export const { Value } = require('@sinclair/typebox/value') as typeof import('@sinclair/typebox/value');
export const { TypeCompiler } = require('@sinclair/typebox/compiler') as typeof import('@sinclair/typebox/compiler');
