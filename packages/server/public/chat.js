// The chat page: a WebSocket client of /ws/<bot>[/:conversationId]. Every model text goes through renderMarkdown
// (DOM nodes + textContent), user text through textContent: nothing is ever parsed as HTML.
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);
const messages = $('messages');
const composer = $('composer');
const sendButton = $('send');
const TOKEN_KEY = 'llm-server-token';

// "/" and "/chat/:id" talk to /ws/chat; "/<bot>" and "/<bot>/:id" to /ws/<bot>.
const [, first = '', second = ''] = location.pathname.split('/');
const bot = first && first !== 'chat' ? first : 'chat';
const state = { conversationId: second || undefined, ws: undefined, busy: false, composing: false, pending: undefined, retry: 0, blocks: new Map(), closedOnPurpose: false };

function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (token()) headers.authorization = `Bearer ${token()}`;
  const response = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  if (response.status === 401) $('token-form').hidden = false;
  return response;
}

function setBusy(busy) {
  state.busy = busy;
  sendButton.disabled = busy;
  document.body.dataset.state = busy ? 'busy' : 'idle';
}

function notice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}

function scrollDown() {
  messages.scrollTop = messages.scrollHeight;
}

function clearMessages() {
  messages.replaceChildren();
  state.blocks.clear();
}

function blockElement(id, className) {
  let block = state.blocks.get(id);
  if (!block) {
    const node = document.createElement('div');
    node.dataset.id = id;
    const body = document.createElement('div');
    body.className = 'body';
    node.appendChild(body);
    messages.appendChild(node);
    block = { node, body, text: '' };
    state.blocks.set(id, block);
  }
  block.node.className = className;
  return block;
}

function drawText(block, role) {
  if (role === 'assistant') block.body.replaceChildren(renderMarkdown(block.text));
  else block.body.textContent = block.text;
}

function onMessageBlock(frame) {
  const className = `msg ${frame.role}`;
  if (frame.mode === 'delete') {
    state.blocks.get(frame.id)?.node.remove();
    state.blocks.delete(frame.id);
    return;
  }
  const block = blockElement(frame.id, className);
  if (frame.mode === 'thinking-start') {
    block.node.classList.add('thinking');
    setBusy(true); // also when a bot opens the conversation: no message until it is done
  }
  else if (frame.mode === 'thinking-end') block.node.classList.remove('thinking');
  else {
    block.text = frame.mode === 'append' ? block.text + frame.content : frame.content;
    drawText(block, frame.role);
  }
  if (frame.mode === 'thinking-end' && !block.text) {
    block.node.remove();
    state.blocks.delete(frame.id);
  }
}

function onToolBlock(frame) {
  const { name, arguments: args, status, result, error } = frame.content;
  const block = blockElement(frame.id, `msg tool ${status}`);
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `🔧 ${name}(${JSON.stringify(args)}) — ${status === 'running' ? '실행 중…' : status === 'error' ? '오류' : '완료'}`;
  details.appendChild(summary);
  if (status !== 'running') {
    const pre = document.createElement('pre');
    pre.textContent = status === 'error' ? String(error) : JSON.stringify(result, null, 2);
    details.appendChild(pre);
    details.open = true;
  }
  block.body.replaceChildren(details);
  // The answer that is still thinking comes after the tool calls it waits for, as it will in the history.
  const thinking = messages.querySelector('.msg.assistant.thinking');
  if (thinking) messages.appendChild(thinking);
}

function onUsage(frame) {
  const { model, total, costUsd } = frame.content;
  const line = document.createElement('div');
  line.className = 'usage';
  line.textContent = `${model} · ${total} tokens${costUsd ? ` · $${costUsd.toFixed(6)}` : ''}`;
  messages.appendChild(line);
  setBusy(false);
  loadConversations();
}

function onFrame(frame) {
  switch (frame.type) {
    case 'pong':
      return;
    case 'conversation':
      state.retry = 0;
      if (state.conversationId !== frame.conversationId || !state.blocks.size) clearMessages();
      state.conversationId = frame.conversationId;
      if (location.pathname !== `/${bot}/${frame.conversationId}`) history.replaceState(null, '', `/${bot}/${frame.conversationId}`);
      loadConversations();
      if (state.pending !== undefined) {
        state.ws.send(JSON.stringify({ type: 'user_message', text: state.pending }));
        state.pending = undefined;
      }
      return;
    case 'message':
      onMessageBlock(frame);
      break;
    case 'tool-call':
      onToolBlock(frame);
      break;
    case 'usage':
      onUsage(frame);
      break;
    case 'error': {
      const block = blockElement(frame.id, 'msg error');
      block.text = frame.content;
      drawText(block, 'error');
      setBusy(false);
      break;
    }
  }
  scrollDown();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const path = `/ws/${bot}${state.conversationId ? `/${state.conversationId}` : ''}`;
  const query = token() ? `?access_token=${encodeURIComponent(token())}` : '';
  const ws = new WebSocket(`${scheme}://${location.host}${path}${query}`);
  state.ws = ws;
  ws.onmessage = (event) => onFrame(JSON.parse(event.data));
  ws.onclose = (event) => {
    if (state.ws !== ws) return;
    state.ws = undefined;
    setBusy(false);
    if (event.code === 4003) {
      notice(event.reason === 'conversation not found' ? '이 대화를 찾을 수 없습니다. 새 대화를 시작하세요.' : '접속이 거부되었습니다. API 토큰을 확인하세요.');
      if (event.reason !== 'conversation not found') $('token-form').hidden = false;
    } else if (event.code === 4000) {
      notice('서버 오류로 연결이 끊어졌습니다. 새로고침하면 대화를 이어갈 수 있습니다.');
    } else if (!state.closedOnPurpose && state.conversationId) {
      const delay = Math.min(10_000, 500 * 2 ** state.retry++);
      notice(`연결이 끊어졌습니다. ${Math.round(delay / 1000)}초 뒤 다시 연결합니다…`);
      setTimeout(() => { notice(''); connect(); }, delay);
    }
  };
}

function send() {
  const text = composer.value;
  if (state.busy || !text.trim()) return;
  setBusy(true);
  composer.value = '';
  notice('');
  if (state.ws?.readyState === WebSocket.OPEN && state.conversationId) {
    state.ws.send(JSON.stringify({ type: 'user_message', text }));
  } else {
    state.pending = text;
    if (!state.ws) connect();
  }
}

// Korean (and every IME): Enter that confirms a composition must not send the half-typed syllable.
composer.addEventListener('compositionstart', () => { state.composing = true; });
composer.addEventListener('compositionend', () => { state.composing = false; });
composer.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey) return;
  if (event.isComposing || event.keyCode === 229 || state.composing) return;
  event.preventDefault();
  send();
});
$('composer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});
$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  localStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
  location.reload();
});

async function loadConversations() {
  const response = await api('/api/chat/sessions');
  if (!response.ok) return;
  const { sessions } = await response.json();
  const list = $('conversations');
  list.replaceChildren(...sessions.map((s) => {
    const item = document.createElement('li');
    if (s.sessionId === state.conversationId) item.className = 'active';
    const link = document.createElement('a');
    link.href = `/${bot}/${s.sessionId}`;
    link.textContent = s.title || '새 대화';
    link.title = `${s.messageCount}개 메시지`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = '대화 삭제';
    remove.addEventListener('click', async () => {
      if (!confirm('이 대화를 삭제할까요?')) return;
      await api(`/api/chat/session/${s.sessionId}`, { method: 'DELETE' });
      if (s.sessionId === state.conversationId) location.href = bot === 'chat' ? '/' : `/${bot}`;
      else loadConversations();
    });
    item.append(link, remove);
    return item;
  }));
}

async function loadBanner() {
  const response = await api('/api/models');
  if (!response.ok) return;
  const info = await response.json();
  const banner = $('banner');
  banner.classList.toggle('mock', info.mock);
  banner.textContent = info.mock
    ? '오프라인 모의(mock) 모델이 답합니다 — API 키(OPENAI_API_KEY 등)를 설정하면 실제 모델이 답합니다.'
    : `모델: ${info.model}${info.fallbacks.length ? ` (대체: ${info.fallbacks.join(' → ')})` : ''}`;
}

$('new-chat').href = bot === 'chat' ? '/' : `/${bot}`;
setBusy(false);
loadBanner();
loadConversations();
// A stored conversation (or a bot that opens the conversation itself) connects at once; a new chat on the first send.
if (state.conversationId || bot !== 'chat') connect();
setInterval(() => state.ws?.readyState === WebSocket.OPEN && state.ws.send(JSON.stringify({ type: 'ping' })), 25_000);
window.addEventListener('beforeunload', () => { state.closedOnPurpose = true; });
