import type { FieldError } from './forms.js';

/**
 * Typed domain errors thrown by services; the error handler maps them to status codes and
 * NHS-styled pages (or JSON under /api).
 */
export class DomainError extends Error {
  readonly statusCode: number = 500;
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  override readonly statusCode = 404;
}

export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  override readonly statusCode = 403;
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  override readonly statusCode = 409;
}

export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  override readonly statusCode = 400;
}

/**
 * Bad input in one or more of a form's fields, each for the page to show beside its field and
 * in the error summary. Modules subclass it to name the form.
 */
export class FieldsInvalidError extends InvalidInputError {
  override name = 'FieldsInvalidError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.text).join('. '));
  }
}
