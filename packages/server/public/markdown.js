// A small, safe markdown renderer: it builds DOM nodes and sets text with textContent / createTextNode only.
// No text from a model is ever parsed as HTML, so `<script>` or `<img onerror>` in an answer is shown as
// text and never runs. Supported: paragraphs, headings, lists, block quotes, fenced and inline code, bold,
// italic, links (http, https and mailto only), horizontal rules.

const SAFE_URL = /^(https?:|mailto:)/i;

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

// Inline syntax, earliest match wins: `code`, **bold**, *italic*, [text](url), bare https:// links. (No `_italic_`:
// identifiers like window.__name must stay as written.)
const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*(?!\s)([\s\S]+?)(?<!\s)\*\*|\*(?![\s*])([^*\n]+?)(?<!\s)\*|\[([^\]\n]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/u;

/** Appends `text` with inline formatting to `parent`. */
export function renderInline(parent, text) {
  let rest = text;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      parent.appendChild(document.createTextNode(rest));
      return;
    }
    if (match.index > 0) parent.appendChild(document.createTextNode(rest.slice(0, match.index)));
    const [whole, ticks, code, bold, italic, linkText, linkUrl, bareUrl] = match;
    if (ticks) {
      const node = el('code');
      node.textContent = code;
      parent.appendChild(node);
    } else if (bold !== undefined) {
      renderInline(parent.appendChild(el('strong')), bold);
    } else if (italic !== undefined) {
      renderInline(parent.appendChild(el('em')), italic);
    } else if (linkText !== undefined) {
      if (SAFE_URL.test(linkUrl)) {
        const a = el('a');
        a.href = linkUrl;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        renderInline(a, linkText);
        parent.appendChild(a);
      } else {
        parent.appendChild(document.createTextNode(whole));
      }
    } else if (bareUrl !== undefined) {
      const a = el('a');
      a.href = bareUrl;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = bareUrl;
      parent.appendChild(a);
    }
    rest = rest.slice(match.index + whole.length);
  }
}

function paragraph(lines) {
  const p = el('p');
  lines.forEach((line, i) => {
    if (i > 0) p.appendChild(el('br'));
    renderInline(p, line);
  });
  return p;
}

const FENCE = /^\s*(```|~~~)\s*([\w+-]*)\s*$/;
const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const RULE = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/;

/** Renders markdown into a new DocumentFragment. Unfinished syntax (while streaming) renders as text. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      const body = [];
      i++;
      while (i < lines.length && !new RegExp(`^\\s*${fence[1]}\\s*$`).test(lines[i])) body.push(lines[i++]);
      i++;
      const pre = el('pre');
      const code = el('code');
      if (fence[2]) code.dataset.lang = fence[2];
      code.textContent = body.join('\n');
      pre.appendChild(code);
      fragment.appendChild(pre);
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const h = el(`h${Math.min(6, heading[1].length + 2)}`);
      renderInline(h, heading[2]);
      fragment.appendChild(h);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      fragment.appendChild(el('hr'));
      i++;
      continue;
    }
    const list = BULLET.test(line) ? BULLET : NUMBERED.test(line) ? NUMBERED : null;
    if (list) {
      const container = el(list === BULLET ? 'ul' : 'ol');
      while (i < lines.length && list.test(lines[i])) renderInline(container.appendChild(el('li')), list.exec(lines[i++])[1]);
      fragment.appendChild(container);
      continue;
    }
    if (QUOTE.test(line)) {
      const quoted = [];
      while (i < lines.length && QUOTE.test(lines[i])) quoted.push(QUOTE.exec(lines[i++])[1]);
      const blockquote = el('blockquote');
      blockquote.appendChild(renderMarkdown(quoted.join('\n')));
      fragment.appendChild(blockquote);
      continue;
    }
    const block = [];
    while (i < lines.length && lines[i].trim() && !FENCE.test(lines[i]) && !HEADING.test(lines[i]) && !BULLET.test(lines[i]) && !NUMBERED.test(lines[i]) && !QUOTE.test(lines[i]) && !RULE.test(lines[i])) {
      block.push(lines[i++]);
    }
    fragment.appendChild(paragraph(block));
  }
  return fragment;
}
