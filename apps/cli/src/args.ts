/** A command-line mistake: printed with the usage, exit status 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  command: string | undefined;
  flags: Map<string, string>;
}

/** `command --flag value --flag=value`; every flag takes a value, and a flag given twice is a mistake. */
export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument "${arg}"; flags look like --name value`);
    const name = match[1]!;
    let value = match[2];
    if (value === undefined) {
      value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      i += 1;
    }
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
    flags.set(name, value);
  }
  return { command, flags };
}

/** Checks the flags against those the command knows, and returns the required and optional values. */
export function takeFlags<R extends string, O extends string>(
  flags: Map<string, string>,
  required: R[],
  optional: O[] = [],
): Record<R, string> & Partial<Record<O, string>> {
  const known = new Set<string>([...required, ...optional]);
  const unknown = [...flags.keys()].filter((f) => !known.has(f));
  if (unknown.length) throw new UsageError(`Unknown flag ${unknown.map((f) => `--${f}`).join(', ')}`);
  const missing = required.filter((f) => !flags.get(f)?.trim());
  if (missing.length) throw new UsageError(`Missing ${missing.map((f) => `--${f}`).join(', ')}`);
  return Object.fromEntries(flags) as Record<R, string> & Partial<Record<O, string>>;
}

/** `30d`, `12h` or `90m` as milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d{1,4})([dhm])$/.exec(value.trim());
  if (!match) throw new UsageError(`--expires-in must look like 30d, 12h or 90m (got "${value}")`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new UsageError('--expires-in must be more than zero');
  return ms;
}
