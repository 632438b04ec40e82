import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigurationError, ProviderError } from './errors.js';
import { mapLimit } from './concurrency.js';
import type { FileInput } from './files.js';
import type { AskOptions } from './llm-options.js';
import type { Reply } from './reply.js';
import type { ImageGenerationOptions, ImageModel, ProviderImage } from './types.js';

/** A generated image: a URL or base64 data, the prompt the provider actually used, and `save(path)`. */
export interface GeneratedImage extends ProviderImage {
  /** Writes the image to a file (downloading it first when it is a URL) and returns the path. */
  save(path: string): Promise<string>;
}

async function imageBytes(image: ProviderImage): Promise<Uint8Array> {
  if (image.base64) return new Uint8Array(Buffer.from(image.base64, 'base64'));
  if (!image.url) throw new ConfigurationError('This image has neither data nor a URL.');
  const response = await fetch(image.url);
  if (!response.ok) throw new ProviderError(`Downloading the image failed with HTTP ${response.status}.`, { status: response.status });
  return new Uint8Array(await response.arrayBuffer());
}

/** Generates images and wraps them with `save()`. */
export async function generateImages(model: ImageModel, prompt: string, options: ImageGenerationOptions): Promise<GeneratedImage[]> {
  if (typeof prompt !== 'string' || !prompt.trim()) throw new ConfigurationError('generateImage() needs a non-empty prompt.');
  const { images } = await model.generate(prompt, options);
  return images.map((image) => ({
    ...image,
    async save(path: string) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, await imageBytes(image));
      return path;
    },
  }));
}

/** Describes images with bounded parallelism, replies in input order. */
export async function describeImages(
  images: FileInput[],
  options: AskOptions & { prompt?: string; maxParallel?: number },
  describe: (image: FileInput, prompt: string | undefined, options: AskOptions) => Promise<Reply>,
): Promise<Reply[]> {
  const { prompt, maxParallel = 4, ...rest } = options;
  return mapLimit(images, maxParallel, (image) => describe(image, prompt, rest));
}
