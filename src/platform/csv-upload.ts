/**
 * Uploading a CSV file through a form (the roster and the learning catalogue imports): reading
 * the file field with @fastify/multipart's attachFieldsToBody, checking that a CSV file was
 * chosen, the file input's arguments and the counts an import page shows afterwards.
 */
import type { MultipartFile } from '@fastify/multipart';

/** What @fastify/multipart hands an upload route for the file field (see `readUpload`). */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
  /** More than the size limit was sent; `bytes` holds only the start. */
  truncated: boolean;
}

/**
 * `onFile` for attachFieldsToBody: reads the uploaded file into memory, keeping at most the size
 * limit, and leaves `{ filename, bytes, truncated }` as the field's value.
 */
export async function readUpload(part: MultipartFile): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of part.file) chunks.push(chunk as Buffer);
  const value: UploadedFile = {
    filename: part.filename,
    bytes: Buffer.concat(chunks),
    truncated: part.file.truncated,
  };
  (part as unknown as { value: UploadedFile }).value = value;
}

const isUploadedFile = (value: unknown): value is UploadedFile =>
  !!value &&
  typeof value === 'object' &&
  Buffer.isBuffer((value as UploadedFile).bytes) &&
  typeof (value as UploadedFile).filename === 'string';

/** The form's file field: a CSV file, or what is wrong (nothing chosen, not a CSV file). */
export function csvFileOf(
  value: unknown,
): { file: UploadedFile; error?: undefined } | { file?: undefined; error: string } {
  if (!isUploadedFile(value) || (value.filename === '' && value.bytes.length === 0))
    return { error: 'Select a CSV file' };
  if (!/\.(csv|txt)$/i.test(value.filename))
    return {
      error:
        'The selected file must be a CSV file. In Excel, choose "Save as" and the type "CSV UTF-8 (Comma delimited)"',
    };
  return { file: value };
}

/** Arguments for the NHS.UK file upload macro of a CSV import form. */
export function csvFileInputArgs(options: {
  label: string;
  hint: string;
  /** The file field's own error (nothing chosen, too big, not UTF-8…). */
  fileError?: string | undefined;
  /** Problems found in the file's lines (listed elsewhere on the page). */
  problemCount: number;
}) {
  const { fileError, problemCount } = options;
  return {
    id: 'file',
    name: 'file',
    label: { text: options.label, size: 's' },
    hint: { text: options.hint },
    attributes: { accept: '.csv,text/csv' },
    errorMessage: fileError
      ? { text: fileError }
      : problemCount > 0
        ? {
            text: `Fix the ${problemCount === 1 ? 'problem' : `${String(problemCount)} problems`} in the file and upload it again`,
          }
        : undefined,
  };
}

/** A count from the query string of the page an import redirects to, or 0. */
export const countParam = (value: unknown) =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 0;
