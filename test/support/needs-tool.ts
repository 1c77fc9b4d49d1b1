import { spawnSync } from 'node:child_process';

/** Why `command` cannot run here (not on PATH, or it fails to start), or undefined when it can. */
export function toolMissing(command: string, args: string[], hint: string): string | undefined {
  const probe = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0) return `${command} is not available (${hint})`;
  return undefined;
}

/**
 * `describe` for tests that need a program from the machine (`missing` says why it cannot run, or is undefined).
 * Without it they are skipped, with the reason in their name and on stderr; under CI=true a missing program is a
 * failure instead, so CI cannot pass without running them. `.ci/run` installs what they need.
 */
export function describeWithTool(name: string, missing: string | undefined, body: () => void): void {
  if (!missing) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has what it needs', () => {
        throw new Error(`"${name}" cannot run under CI=true: ${missing}`);
      });
    });
  } else {
    process.stderr.write(`"${name}" skipped: ${missing}\n`);
    describe.skip(`${name} (skipped: ${missing})`, body);
  }
}
