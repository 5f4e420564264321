import { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { registerServe } from './serve.ts';
import { registerToken } from './token.ts';
import { registerSimulate } from './simulate.ts';
import { registerReplay } from './replay.ts';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('respite').description('Respite — open agent-wellbeing engine for contact centers');
  registerServe(program);
  registerToken(program);
  registerSimulate(program);
  registerReplay(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`respite: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
