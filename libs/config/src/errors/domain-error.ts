/**
 * The base of every library's own errors: a stable code from the library's enum, a message written for the person
 * who made the request, and the input field at fault when there is one. The API's exception filter and the pages'
 * error pages check this class and map `code`; any other error is an internal one, whose message stays in the log.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** The input field at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * One lookup by code over several code sets' tables. Each table is typed `Record<ItsCode, T>`, so a code added to an
 * enum fails to compile until it is mapped. Code sets share a few strings (`INVALID_INPUT`, `PERMISSION_DENIED`) and
 * a caller sees only the string, so a shared code must map the same way in every table: this throws otherwise.
 * An unknown code gives undefined.
 */
export function codeLookup<T>(...tables: Readonly<Record<string, T>>[]): (code: string) => T | undefined {
  const merged = new Map<string, T>();
  for (const table of tables) {
    for (const [code, value] of Object.entries(table)) {
      if (merged.has(code) && merged.get(code) !== value) throw new Error(`Code ${code} is mapped to both ${String(merged.get(code))} and ${String(value)}`);
      merged.set(code, value);
    }
  }
  return (code) => merged.get(code);
}
