import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** "field.path: rule message" for every failed rule, deepest fields included. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${field}: ${message.replace(new RegExp(`^${error.property} `), '')}`);
    return [...own, ...describeValidationErrors(error.children ?? [], field)];
  });
}

/** Thrown by the validation pipe; carries the field paths so clients can point at them. */
export class InputValidationError extends BadRequestException {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputValidationError(describeValidationErrors(errors)),
  });
}
