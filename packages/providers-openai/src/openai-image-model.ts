import type { ImageGenerateParamsNonStreaming, ImagesResponse } from 'openai/resources/images';
import type { ImageGenerationOptions, ImageModel, ProviderImage } from '@llm/core';
import type { OpenAIClientContext } from './openai-client.js';
import { mapOpenAIError } from './openai-error.js';

/** Image options OpenAI adds to core's: how DALL·E returns images (gpt-image models always return base64). */
export interface OpenAIImageGenerationOptions extends ImageGenerationOptions {
  /** `url` (DALL·E default, links expire after an hour) or `base64`. */
  responseFormat?: 'url' | 'base64';
}

/**
 * An image model on `/images/generations`: `dall-e-2`, `dall-e-3` (URL by default, `style` honoured, revised
 * prompt returned) and `gpt-image-*` (always base64; `style` and `response_format` are not sent).
 * @example
 * const { images } = await openai.imageModel!('dall-e-3', {}).generate('한옥 마을의 봄', { size: '1024x1024' });
 */
export class OpenAIImageModel implements ImageModel {
  readonly provider: string;
  readonly modelId: string;

  constructor(private readonly context: OpenAIClientContext) {
    this.provider = context.provider;
    this.modelId = context.modelId;
  }

  async generate(prompt: string, options: OpenAIImageGenerationOptions = {}): Promise<{ images: ProviderImage[] }> {
    const dalle = this.modelId.startsWith('dall-e-');
    const params: ImageGenerateParamsNonStreaming = { model: this.modelId, prompt };
    if (options.n !== undefined) params.n = options.n;
    if (options.size) params.size = options.size as ImageGenerateParamsNonStreaming['size'];
    if (options.quality) params.quality = options.quality as ImageGenerateParamsNonStreaming['quality'];
    if (dalle && options.style) params.style = options.style as ImageGenerateParamsNonStreaming['style'];
    if (dalle) params.response_format = options.responseFormat === 'base64' ? 'b64_json' : 'url';
    let response: ImagesResponse;
    try {
      response = await this.context.client().images.generate(params, { signal: options.signal });
    } catch (error) {
      throw mapOpenAIError(error, { ...this.context, signal: options.signal });
    }
    const mediaType = `image/${response.output_format ?? 'png'}`;
    const images = (response.data ?? []).map((image): ProviderImage => ({
      ...(image.url ? { url: image.url } : {}),
      ...(image.b64_json ? { base64: image.b64_json, mediaType } : {}),
      ...(image.revised_prompt ? { revisedPrompt: image.revised_prompt } : {}),
    }));
    return { images };
  }
}
