import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../testing/cli-harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llm-cli-describe-'));
  await writeFile(join(dir, '고양이.png'), PNG);
  await writeFile(join(dir, 'dog.png'), PNG);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('llm describe (built binary, mock model)', () => {
  it('describes one image with the prompt given', async () => {
    const run = await runBuiltCli(['describe', '--model', 'mock', '--prompt', '이 이미지를 설명해주세요', '고양이.png'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('[mock] 오프라인 모의 모델의 응답입니다. 질문 "이 이미지를 설명해주세요"을(를) 받았습니다. 실제 답변을 받으려면 API 키를 설정하세요.\n');
  });

  it('describes several images in the order given, as JSON too', async () => {
    const run = await runBuiltCli(['describe', '--model', 'mock', '고양이.png', 'dog.png'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.indexOf('## 고양이.png')).toBeLessThan(run.stdout.indexOf('## dog.png'));
    expect(run.stdout.match(/Describe this image in detail\./g)).toHaveLength(2);
    const json = JSON.parse((await runBuiltCli(['describe', '--model', 'mock', '--json', 'dog.png', '고양이.png'], { cwd: dir })).stdout);
    expect(json.map((r: { image: string }) => r.image)).toEqual(['dog.png', '고양이.png']);
    expect(json[0].usage.input).toBeGreaterThan(0);
  });

  it('a missing image is a usage error', async () => {
    const run = await runBuiltCli(['describe', '--model', 'mock', 'none.png'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot read the file "none.png"');
  });
});
