import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, tempDir, testServer } from '../test/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where the screenshot goes, to look at after a run. */
export const SCREENSHOT = join(tmpdir(), 'llm-server-chat-page.png');

function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `${CHROMIUM} is missing: the browser test of the chat page cannot run. Install it with: apt-get install -y chromium`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n⚠️  SKIPPED: ${message}\n`);
  return false;
}

const MALICIOUS = '<script>window.__pwned=1</script> 그리고 <img src=x onerror="window.__pwned=1"> [링크](javascript:window.__pwned=1) 끝';

describe.skipIf(!chromiumAvailable())('the chat page in headless Chromium', () => {
  const dir = tempDir();
  const profile = mkdtempSync(join(tmpdir(), 'llm-server-chromium-'));
  let app: FastifyInstance;
  let url: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await testServer(dir.path, {
      mockResponses: [{ chunks: ['안녕하세요! ', '**반갑습니다**. ', '무엇을 ', '도와드릴까요?'] }, MALICIOUS],
      llmOptions: { chunkDelayMs: 120 },
    });
    url = await listen(app);
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, locale: 'ko-KR', viewport: { width: 1100, height: 760 } });
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await context?.close();
    await app?.close();
    rmSync(profile, { recursive: true, force: true });
    dir.cleanup();
  });

  const userTexts = () => page.$$eval('.msg.user', (nodes) => nodes.map((n) => n.textContent));
  const lastAssistant = () => page.$$eval('.msg.assistant', (nodes) => nodes.at(-1)?.textContent ?? '');
  const idle = () => page.waitForFunction(() => document.body.dataset.state === 'idle' && !document.querySelector('.thinking'));

  it('does not send while the IME is composing, then sends the Korean message once and streams the answer', async () => {
    await page.goto(`${url}/`);
    await page.waitForSelector('#banner.mock');
    expect(await page.textContent('#banner')).toContain('모의(mock) 모델');
    await page.focus('#composer');
    const cdp = await context.newCDPSession(page);
    for (const step of ['ㅇ', '아', '안', '안ㄴ', '안녀', '안녕']) await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    // Enter while composing: the page must not send the half-typed syllable.
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: '안녕' });
    await page.waitForTimeout(200);
    expect(await userTexts()).toEqual([]);
    expect(await page.inputValue('#composer')).toBe('안녕');
    await page.keyboard.type('하세요');
    // Record the answer as it grows, to see it stream.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      new MutationObserver(() => {
        const text = [...document.querySelectorAll('.msg.assistant')].at(-1)?.textContent ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.getElementById('messages')!, { childList: true, subtree: true, characterData: true });
    });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // a second Enter while answering must not send twice
    await page.waitForFunction(() => (document.querySelector('.msg.assistant')?.textContent ?? '').includes('도와드릴까요?'));
    await idle();
    expect(await userTexts()).toEqual(['안녕하세요']);
    expect(await lastAssistant()).toBe('안녕하세요! 반갑습니다. 무엇을 도와드릴까요?');
    expect(await page.textContent('.msg.assistant strong')).toBe('반갑습니다');
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(page.url()).toMatch(/\/chat\/[0-9a-f-]{36}$/);
    await page.waitForFunction(() => document.querySelector('#conversations a')?.textContent === '안녕하세요');
  });

  it('shows a model answer with <script> and <img onerror> as text, and never runs it', async () => {
    await page.fill('#composer', '위험한 답을 보여 주세요');
    await page.click('#send');
    await page.waitForFunction(() => ([...document.querySelectorAll('.msg.assistant')].at(-1)?.textContent ?? '').includes('끝'));
    await idle();
    const shown = await lastAssistant();
    expect(shown).toContain('<script>window.__pwned=1</script>');
    expect(shown).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.$$eval('#messages script, #messages img, #messages a[href^="javascript"]', (nodes) => nodes.length)).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('shows tool calls with their results', async () => {
    await page.fill('#composer', '25 곱하기 17은?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg.tool.done');
    await idle();
    const tool = await page.textContent('.msg.tool.done');
    expect(tool).toContain('calculator');
    expect(tool).toContain('425');
  });

  it('restores the conversation after a reload', async () => {
    const before = await page.$$eval('.msg.user, .msg.assistant, .msg.tool', (nodes) => nodes.map((n) => n.textContent));
    await page.reload();
    await page.waitForFunction((count) => document.querySelectorAll('.msg.user, .msg.assistant, .msg.tool').length >= count, before.length);
    expect(await page.$$eval('.msg.user, .msg.assistant, .msg.tool', (nodes) => nodes.map((n) => n.textContent))).toEqual(before);
    expect(await userTexts()).toEqual(['안녕하세요', '위험한 답을 보여 주세요', '25 곱하기 17은?']);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
