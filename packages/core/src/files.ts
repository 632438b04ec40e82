import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ConfigurationError } from './errors.js';
import type { ContentPart } from './types.js';

/** A file for `ask({ files })`: a path, an http(s) URL, bytes, or a Blob. */
export type FileInput = string | URL | Uint8Array | ArrayBuffer | Blob | { data: Uint8Array | URL; mediaType: string; filename?: string };

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.md': 'text/markdown', '.csv': 'text/csv', '.json': 'application/json',
  '.html': 'text/html', '.xml': 'application/xml', '.yaml': 'text/yaml', '.yml': 'text/yaml',
};

/** Guesses a media type from the first bytes (images and PDF), else undefined. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'image/gif';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'image/webp';
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'application/pdf';
  return undefined;
}

function partFor(data: Uint8Array | URL, mediaType: string, filename?: string): ContentPart {
  if (mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType === 'application/xml') {
    if (data instanceof URL) return { type: 'file', data, mediaType, ...(filename ? { filename } : {}) };
    const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
    return { type: 'text', text: filename ? `[${filename}]\n${text}` : text };
  }
  const type = mediaType.startsWith('image/') ? 'image' : 'file';
  return { type, data, mediaType, ...(filename ? { filename } : {}) };
}

/** Turns one file input into a content part: images → image parts, PDFs → file parts, text files → text parts. */
export async function loadFile(input: FileInput): Promise<ContentPart> {
  if (input instanceof URL || (typeof input === 'string' && /^https?:\/\//i.test(input))) {
    const url = input instanceof URL ? input : new URL(input);
    const mediaType = MEDIA_TYPES[extname(url.pathname).toLowerCase()] ?? 'image/jpeg';
    return partFor(url, mediaType, basename(url.pathname) || undefined);
  }
  if (typeof input === 'string') {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(input));
    } catch (error) {
      throw new ConfigurationError(`Cannot read the file ${JSON.stringify(input)}: ${(error as Error).message}. Pass an existing path, a URL or the bytes.`, { cause: error });
    }
    const mediaType = MEDIA_TYPES[extname(input).toLowerCase()] ?? sniffMediaType(bytes) ?? 'application/octet-stream';
    return partFor(bytes, mediaType, basename(input));
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const bytes = new Uint8Array(await input.arrayBuffer());
    return partFor(bytes, input.type || sniffMediaType(bytes) || 'application/octet-stream', (input as { name?: string }).name);
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const mediaType = sniffMediaType(bytes);
    if (!mediaType) throw new ConfigurationError('Cannot tell the type of these bytes: pass { data, mediaType } instead.');
    return partFor(bytes, mediaType);
  }
  if (input && typeof input === 'object' && 'data' in input && 'mediaType' in input) return partFor(input.data, input.mediaType, input.filename);
  throw new ConfigurationError('Unsupported file input: use a path, a URL, a Uint8Array/Buffer, a Blob or { data, mediaType }.');
}
