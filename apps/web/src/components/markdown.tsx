import type { ComponentProps, ReactNode } from 'react';
import ReactMarkdown, { type Components, type UrlTransform } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import './markdown.css';

/**
 * Markdown written by project leads (guidelines), shown to everyone in the project. It is
 * untrusted text, so the rendering is deliberately narrow:
 * - raw HTML is shown as the text it is, never parsed (react-markdown turns it into text nodes);
 * - link targets are http(s), mailto or relative; anything else (javascript:, data:, vbscript:)
 *   loses its link and stays as plain text;
 * - images load only from this origin or a data: image (the CSP allows nothing else); a remote
 *   image becomes a link to it, labelled with its alt text;
 * - no element carries a style attribute (style-src 'self'), so table alignment becomes a class.
 * URLs are judged with the WHATWG URL parser, the same one the browser follows, so tricks with
 * case, entities, tabs or backslashes resolve here exactly as they would there.
 */

// A stand-in origin for resolving relative URLs: whatever resolves to it stays on this site.
const HERE = 'https://warrant.invalid';
const LINK_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);
const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp);base64,[a-z0-9+/=\s]*$/i;

function parseUrl(value: string): URL | null {
  try {
    return new URL(value, `${HERE}/page`);
  } catch {
    return null;
  }
}

/** A link target that may be followed: http(s), mailto, or a path on this site. */
export function safeHref(value: string): string | null {
  const url = parseUrl(value);
  return url && LINK_PROTOCOLS.has(url.protocol) ? value : null;
}

export type ImageSource = { kind: 'local'; src: string } | { kind: 'remote'; href: string } | { kind: 'none' };

/** Whether an image may be loaded (same origin, or an inline raster image), only linked to, or neither. */
export function classifyImage(value: string | undefined): ImageSource {
  if (!value) return { kind: 'none' };
  if (DATA_IMAGE.test(value.trim())) return { kind: 'local', src: value.trim() };
  const url = parseUrl(value);
  if (!url) return { kind: 'none' };
  if (url.origin === HERE) return { kind: 'local', src: value };
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'remote', href: url.href };
  return { kind: 'none' };
}

const urlTransform: UrlTransform = (value, key) => {
  if (key === 'src') return classifyImage(value).kind === 'none' ? null : value;
  return safeHref(value);
};

// What Markdown and GFM produce; anything else (a plugin surprise) is unwrapped to its content.
const ALLOWED = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'a', 'img',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'input', 'sup', 'section',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
];

type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;

function alignClass(align: unknown): string | undefined {
  return align === 'left' || align === 'center' || align === 'right' ? `markdown__align-${align}` : undefined;
}

function externalLinkProps(href: string) {
  // In-page anchors (footnotes) and mail links stay in this tab; the rest must not replace the app.
  if (href.startsWith('#') || href.toLowerCase().startsWith('mailto:')) return {};
  return { target: '_blank', rel: 'noopener noreferrer' };
}

function buildComponents(baseHeadingLevel: HeadingLevel): Components {
  const heading = (depth: number) => {
    const Tag = `h${Math.min(6, baseHeadingLevel + depth - 1)}` as `h${HeadingLevel}`;
    return function Heading({ children, id }: ComponentProps<'h1'>) {
      return <Tag id={id}>{children}</Tag>;
    };
  };
  return {
    h1: heading(1),
    h2: heading(2),
    h3: heading(3),
    h4: heading(4),
    h5: heading(5),
    h6: heading(6),
    a({ href, children, id, title }) {
      if (!href) return <span>{children}</span>;
      return (
        <a href={href} id={id} title={title} {...externalLinkProps(href)}>
          {children}
        </a>
      );
    },
    img({ src, alt, title }) {
      const source = classifyImage(typeof src === 'string' ? src : undefined);
      const text = alt?.trim() ?? '';
      if (source.kind === 'local') return <img src={source.src} alt={text} title={title} />;
      if (source.kind === 'remote') {
        return (
          <a href={source.href} target="_blank" rel="noopener noreferrer" title={title} className="markdown__remote-image">
            {text || source.href}
          </a>
        );
      }
      return text ? <span>{text}</span> : null;
    },
    th({ node, children }) {
      return <th className={alignClass(node?.properties.align)}>{children}</th>;
    },
    td({ node, children }) {
      return <td className={alignClass(node?.properties.align)}>{children}</td>;
    },
    table({ children }) {
      return (
        <div className="markdown__table">
          <table>{children}</table>
        </div>
      );
    },
  };
}

const componentsByLevel = new Map<HeadingLevel, Components>();
function componentsFor(level: HeadingLevel): Components {
  let components = componentsByLevel.get(level);
  if (!components) {
    components = buildComponents(level);
    componentsByLevel.set(level, components);
  }
  return components;
}

const remarkPlugins = [remarkGfm, remarkBreaks];

export interface MarkdownProps {
  /** The Markdown text. */
  source: string;
  /**
   * The HTML level a `#` heading becomes, so the text's headings sit under the page's own
   * (3: under the page's h1 and a section's h2).
   */
  baseHeadingLevel?: HeadingLevel;
  className?: string;
  /** Shown when the text is empty or only white space. */
  empty?: ReactNode;
}

/** Renders untrusted Markdown safely (see the comment at the top of this file). */
export function Markdown({ source, baseHeadingLevel = 3, className, empty }: MarkdownProps) {
  return (
    <div className={['markdown', className].filter(Boolean).join(' ')}>
      {source.trim() === '' ? (
        empty
      ) : (
        <ReactMarkdown
          remarkPlugins={remarkPlugins}
          components={componentsFor(baseHeadingLevel)}
          urlTransform={urlTransform}
          allowedElements={ALLOWED}
          unwrapDisallowed
        >
          {source}
        </ReactMarkdown>
      )}
    </div>
  );
}
