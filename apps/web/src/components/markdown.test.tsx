import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, classifyImage, safeHref } from './markdown.tsx';

const render = (source: string) => renderToStaticMarkup(<Markdown source={source} />);

/** Every attribute name in the markup, lower-cased. */
const attributeNames = (html: string) => [...html.matchAll(/<[a-z][a-z0-9]*\s([^>]*)>/gi)].flatMap((tag) =>
  [...(tag[1] ?? '').matchAll(/([^\s="']+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)].map((attribute) => (attribute[1] ?? '').toLowerCase()),
);
/** Where each href and src would take the browser, resolved from a page of the app. */
const targets = (html: string) =>
  [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((match) => new URL((match[1] ?? '').replaceAll('&amp;', '&'), 'https://app.invalid/projects/p1'));
const tagNames = (html: string) => [...html.matchAll(/<([a-z][a-z0-9]*)/gi)].map((tag) => (tag[1] ?? '').toLowerCase());

describe('Markdown rendering of untrusted text', () => {
  it('renders raw HTML as text: no img, no script, no event handler attribute', () => {
    const html = render(
      [
        'Intro <img src=x onerror=alert(1)> inline.',
        '',
        '<img src=x onerror=alert(1)>',
        '',
        '<script>alert(1)</script>',
        '',
        '<a href="javascript:alert(1)" onclick="alert(1)">html link</a>',
        '',
        '<div style="position:fixed">styled</div>',
      ].join('\n'),
    );
    expect(tagNames(html)).not.toContain('img');
    expect(tagNames(html)).not.toContain('script');
    // The only div is the wrapper: the HTML one is text.
    expect(tagNames(html).filter((tag) => tag === 'div')).toHaveLength(1);
    expect(attributeNames(html).filter((name) => name.startsWith('on'))).toEqual([]);
    expect(attributeNames(html)).not.toContain('style');
    // Shown to the reader as the text it is.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JavaScript:alert(1))'],
    ['[x](javascript&#58;alert(1))'],
    ['[x](<java\tscript:alert(1)>)'],
    ['[x](  javascript:alert(1))'],
    ['<javascript:alert(1)>'],
    ['[x][ref]\n\n[ref]: javascript:alert(1)'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['[x](vbscript:msgbox(1))'],
  ])('gives no link that could run script for %j', (source) => {
    // Some of these survive as harmless relative paths ('java%09script:...'), as the browser reads them too.
    for (const url of targets(render(source))) expect(['http:', 'https:', 'mailto:']).toContain(url.protocol);
  });

  it.each([['[x](javascript:alert(1))'], ['[x](JavaScript:alert(1))'], ['<javascript:alert(1)>'], ['[x](vbscript:msgbox(1))']])(
    'renders %j as text without a link element',
    (source) => {
      expect(tagNames(render(source))).not.toContain('a');
    },
  );

  it('keeps the text of a refused link', () => {
    expect(render('[read this](javascript:alert(1))')).toBe('<div class="markdown"><p><span>read this</span></p></div>');
  });

  it('opens http(s) and relative links in a new tab without an opener or referrer', () => {
    const html = render('[a](https://example.org/x) [b](/projects/p1) [c](mailto:lead@example.org) [d](#notes)');
    expect(html).toContain('<a href="https://example.org/x" target="_blank" rel="noopener noreferrer">a</a>');
    expect(html).toContain('<a href="/projects/p1" target="_blank" rel="noopener noreferrer">b</a>');
    expect(html).toContain('<a href="mailto:lead@example.org">c</a>');
    expect(html).toContain('<a href="#notes">d</a>');
  });

  it('does not load remote images: they become a link named by their alt text', () => {
    const html = render('![a diagram](https://evil.example/track.png) ![](//evil.example/x.png)');
    expect(tagNames(html)).not.toContain('img');
    expect(html).toContain('<a href="https://evil.example/track.png" target="_blank" rel="noopener noreferrer" class="markdown__remote-image">a diagram</a>');
    expect(html).toContain('<a href="https://evil.example/x.png" target="_blank" rel="noopener noreferrer" class="markdown__remote-image">https://evil.example/x.png</a>');
    // A backslash trick stays a path on this site (the URL is percent-encoded before the browser sees it).
    const tricky = render('![x](/\\evil.example/y.png)');
    for (const url of targets(tricky)) expect(url.origin).toBe('https://app.invalid');
  });

  it('loads same-origin and inline raster images only', () => {
    expect(render('![logo](/favicon.svg)')).toContain('<img src="/favicon.svg" alt="logo"/>');
    expect(render('![dot](data:image/png;base64,iVBORw0KGgo=)')).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot"/>');
    const svg = render('![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)');
    expect(tagNames(svg)).not.toContain('img');
    expect(render('![x](javascript:alert(1))')).toBe('<div class="markdown"><p><span>x</span></p></div>');
  });

  it('renders headings (under the page headings), lists, emphasis, code, quotes and tables, with no style attribute', () => {
    const html = render(
      [
        '# Main',
        '## Detail',
        '',
        'Some *emphasis*, **strong** and `code`.',
        'Next line.',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '',
        '> quoted',
        '',
        '```',
        'block',
        '```',
        '',
        '| left | centre | right |',
        '|:-----|:------:|------:|',
        '| a | b | c |',
      ].join('\n'),
    );
    expect(html).toContain('<h3>Main</h3>\n<h4>Detail</h4>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<br/>'); // a single line break is kept, as in the plain-text guidelines before
    expect(html).toContain('<ul>');
    expect(html).toContain('<ol>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<pre><code>block\n</code></pre>');
    expect(html).toContain('<th class="markdown__align-center">centre</th>');
    expect(html).toContain('<td class="markdown__align-right">c</td>');
    expect(attributeNames(html)).not.toContain('style');
    expect(attributeNames(html)).not.toContain('align');
  });

  it('shows the empty placeholder for blank text', () => {
    expect(renderToStaticMarkup(<Markdown source={'  \n'} empty={<em>nothing</em>} />)).toBe('<div class="markdown"><em>nothing</em></div>');
  });
});

describe('URL rules', () => {
  it('allows http(s), mailto and relative link targets only', () => {
    for (const ok of ['https://a.example', 'http://a.example', 'mailto:x@y.z', '/p', './p', 'p', '#x', '?q=1']) expect(safeHref(ok), ok).toBe(ok);
    for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:x', 'java\nscript:x', 'data:text/html,x', 'file:///etc/passwd', 'ftp://a']) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });

  it('sorts image sources', () => {
    expect(classifyImage('/a.png')).toEqual({ kind: 'local', src: '/a.png' });
    expect(classifyImage('https://x.example/a.png')).toEqual({ kind: 'remote', href: 'https://x.example/a.png' });
    expect(classifyImage('//x.example/a.png').kind).toBe('remote');
    expect(classifyImage('javascript:alert(1)').kind).toBe('none');
    expect(classifyImage(undefined).kind).toBe('none');
  });
});
