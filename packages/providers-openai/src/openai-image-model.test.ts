import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '@llm/core';
import { FAKE_PNG_BASE64, FakeOpenAIServer } from '@llm/testkit';
import { openai } from './openai-provider.js';
import type { OpenAIImageModel } from './openai-image-model.js';

const fake = new FakeOpenAIServer();
beforeAll(() => fake.start());
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const image = (id: string) => openai.imageModel!(id, { baseURL: `${fake.url}/v1`, apiKey: 'test-key' }) as OpenAIImageModel;
const prompt = '한옥 마을의 봄 풍경, 수채화';

describe('images', () => {
  it('dall-e-3 returns URLs by default with the revised prompt, sending size, quality and style', async () => {
    const { images } = await image('dall-e-3').generate(prompt, { size: '1024x1024', quality: 'hd', style: 'natural', n: 1 });
    expect(fake.lastRequest).toMatchObject({
      path: '/v1/images/generations',
      body: { model: 'dall-e-3', prompt, size: '1024x1024', quality: 'hd', style: 'natural', n: 1, response_format: 'url' },
    });
    expect(images).toEqual([{ url: `${fake.url}/files/image-1.png`, revisedPrompt: `${prompt} (revised)` }]);
    const png = Buffer.from(await (await fetch(images[0].url!)).arrayBuffer());
    expect(png.toString('base64')).toBe(FAKE_PNG_BASE64);
  });

  it('dall-e-2 returns base64 when asked, n images', async () => {
    const { images } = await image('dall-e-2').generate(prompt, { n: 2, responseFormat: 'base64' });
    expect(fake.lastRequest!.body.response_format).toBe('b64_json');
    expect(images).toEqual([{ base64: FAKE_PNG_BASE64, mediaType: 'image/png' }, { base64: FAKE_PNG_BASE64, mediaType: 'image/png' }]);
  });

  it('gpt-image-1 always returns base64 and is never sent response_format or style', async () => {
    const { images } = await image('gpt-image-1').generate(prompt, { style: 'vivid', quality: 'low', responseFormat: 'url' });
    expect(fake.lastRequest!.body).toEqual({ model: 'gpt-image-1', prompt, quality: 'low' });
    expect(images).toEqual([{ base64: FAKE_PNG_BASE64, mediaType: 'image/png' }]);
  });

  it('maps errors', async () => {
    fake.injectFault({ status: 400, errorBody: { error: { message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error', param: null, code: 'content_policy_violation' } } });
    const error = await image('dall-e-3').generate(prompt, {}).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, retryable: false });
    expect((error as Error).message).toContain('safety system');
  });
});
