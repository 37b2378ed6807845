import { Command, CommanderError } from 'commander';
import { productVersion } from '../config/version.js';
import { serverCommand } from './server.js';

/** Builds the CLI; the one place that prints errors and picks exit codes. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('tsk8s')
    .description('A lightweight Kubernetes in one process')
    .version(productVersion, '-v, --version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) })
    .addCommand(serverCommand());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`tsk8s: ${describe(err)}\n`);
    return 1;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
