/** One SQL statement as the API sent it through `pg`: its text and parameters, in order. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** Parameters as JSON can carry them to the baseline process (dates as ISO text, buffers tagged). */
export function encodeParams(params: readonly unknown[]): unknown[] {
  return params.map((value) => {
    if (value instanceof Date) return value.toISOString();
    if (Buffer.isBuffer(value)) return { $buffer: value.toString('base64') };
    return value;
  });
}

export function decodeParams(params: readonly unknown[]): unknown[] {
  return params.map((value) =>
    value && typeof value === 'object' && '$buffer' in value ? Buffer.from(String((value as { $buffer: string }).$buffer), 'base64') : value,
  );
}

/** A transaction's opening and closing statements: the baseline runs what lies between on one connection. */
export function opensTransaction(text: string): boolean {
  return /^\s*(BEGIN|START TRANSACTION)\b/i.test(text);
}

export function closesTransaction(text: string): boolean {
  return /^\s*(COMMIT|ROLLBACK|END)\b/i.test(text);
}
