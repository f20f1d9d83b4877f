import { randomBytes } from 'node:crypto';

/** A multipart/form-data body with optional text fields followed by one file part. */
export function multipart(
  file: { filename: string; content: string | Uint8Array; contentType?: string },
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  return multipartFiles([file], fields);
}

/** Text fields followed by several file parts, all in a field named `file` (a folder upload). */
export function multipartFiles(
  files: { filename: string; content: string | Uint8Array; contentType?: string }[],
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----warrant${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
