/**
 * A small HTML → Markdown converter for WebFetch: enough structure (headings, paragraphs, lists,
 * links, code, tables) for a model to read a page, without a DOM or a dependency. Scripts, styles
 * and other non-content elements are dropped.
 */
// Navigation bars are dropped too: on most pages they are link lists repeated on every page.
const DROPPED = ['script', 'style', 'noscript', 'svg', 'head', 'template', 'iframe', 'canvas', 'object', 'nav'];
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'table', 'form', 'figure', 'figcaption', 'dl', 'dt', 'dd', 'details', 'summary', 'address', 'fieldset']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…',
  copy: '©', reg: '®', trade: '™', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', middot: '·', bull: '•', times: '×',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function absolutize(href: string, base: string | undefined): string {
  if (!base) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

export function htmlToMarkdown(html: string, baseUrl?: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  let body = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<![^>]*>|<\?[\s\S]*?\?>/g, '');
  for (const tag of DROPPED) body = body.replace(new RegExp(`<${tag}\\b[\\s\\S]*?</${tag}\\s*>`, 'gi'), '');

  let out = '';
  let pre = 0;
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const links: Array<string | undefined> = [];

  const endsBlank = () => out === '' || out.endsWith('\n\n');
  const block = () => {
    out = out.replace(/[ \t]+$/, '');
    if (!endsBlank()) out += out.endsWith('\n') ? '\n' : '\n\n';
  };
  const newline = () => {
    out = out.replace(/[ \t]+$/, '');
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  const text = (t: string) => {
    if (pre) {
      out += decodeEntities(t);
      return;
    }
    let s = decodeEntities(t.replace(/\s+/g, ' '));
    if (out === '' || out.endsWith('\n') || out.endsWith(' ')) s = s.replace(/^ +/, '');
    out += s;
  };

  const tokens = /<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|</g;
  for (let m = tokens.exec(body); m; m = tokens.exec(body)) {
    if (m[4] !== undefined || m[0] === '<') {
      text(m[4] ?? '<');
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    const attrs = m[3] ?? '';
    if (pre && tag !== 'pre') continue;
    if (/^h[1-6]$/.test(tag)) {
      block();
      if (!closing) out += `${'#'.repeat(Number(tag[1]))} `;
      continue;
    }
    switch (tag) {
      case 'br':
        newline();
        break;
      case 'hr':
        block();
        out += '---\n\n';
        break;
      case 'pre':
        if (closing) {
          if (pre > 0) pre--;
          if (!out.endsWith('\n')) out += '\n';
          out += '```\n\n';
        } else {
          block();
          pre++;
          out += '```\n';
        }
        break;
      case 'code':
        out += '`';
        break;
      case 'strong':
      case 'b':
        out += '**';
        break;
      case 'em':
      case 'i':
        out += '*';
        break;
      case 'a':
        if (!closing) {
          const href = attr(attrs, 'href');
          const useful = href && !href.startsWith('#') && !/^javascript:/i.test(href);
          links.push(useful ? absolutize(href, baseUrl) : undefined);
          if (useful) out += '[';
        } else {
          const href = links.pop();
          if (href) out += `](${href})`;
        }
        break;
      case 'img': {
        const alt = attr(attrs, 'alt');
        const src = attr(attrs, 'src');
        if (alt && src) out += `![${alt}](${absolutize(src, baseUrl)})`;
        break;
      }
      case 'ul':
      case 'ol':
        if (closing) lists.pop();
        else lists.push({ ordered: tag === 'ol', n: 0 });
        if (lists.length === 0 || !closing) block();
        break;
      case 'li':
        if (!closing) {
          newline();
          const list = lists[lists.length - 1];
          const marker = list?.ordered ? `${++list.n}. ` : '- ';
          out += '  '.repeat(Math.max(0, lists.length - 1)) + marker;
        }
        break;
      case 'blockquote':
        block();
        if (!closing) out += '> ';
        break;
      case 'tr':
        newline();
        if (!closing) out += '| ';
        break;
      case 'td':
      case 'th':
        if (closing) out = out.replace(/ +$/, '') + ' | ';
        break;
      default:
        if (BLOCKS.has(tag)) block();
    }
  }

  let md = out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\*\*\s*\*\*/g, '')
    .replace(/\[\]\([^)]*\)/g, '')
    .trim();
  const cleanTitle = title ? decodeEntities(title.replace(/\s+/g, ' ').trim()) : '';
  if (cleanTitle && !/^# /m.test(md)) md = `# ${cleanTitle}\n\n${md}`;
  return md;
}
