// The console's pages under /console/ as the local API server serves them: the integration card of one partner
// at /console/?partner=<id> (api-base = this origin, so the card calls the same API), a partner chooser at
// /console/, a month's statement at /console/partners/<id>/statements/<YYYY-MM>, the fleet at /console/fleet,
// and the bundle's two files. Strict CSP: scripts and styles from this origin only, nothing inline.
import { ID_PATTERN, ID_PATTERN_BODY } from '../lambdas/core/model';
import type { ConsoleBundle } from './build';

/** The id pattern for an <input pattern>: browsers compile it with the `v` flag, where a literal '-' in a class is escaped. */
const ID_INPUT_PATTERN = ID_PATTERN_BODY.replace('-]', '\\-]');

export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_CSS = `body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f3f5f7}
header.site{background:#1b1f24;color:#fff;padding:.75rem 1.5rem}header.site a{color:#fff}
main{padding:1.5rem;max-width:60rem;margin:0 auto}h1{font-size:1.4rem;margin:0 0 1rem}
label{font-weight:600;display:block;margin-bottom:.25rem}input{font:inherit;padding:.45rem .6rem;border:1px solid #6b7682;border-radius:6px}
button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
.row{display:flex;gap:.5rem}`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(status: number, title: string, main: string): PageReply {
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Vendor console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/page.css">
<link rel="stylesheet" href="/console/assets/card.css">
<script type="module" src="/console/assets/card.js"></script>
</head>
<body>
<header class="site"><a href="/console/">Vendor console</a> (local)</header>
<main>
${main}
</main>
</body>
</html>
`;
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }, body };
}

const asset = (type: string, body: string): PageReply => ({
  status: 200,
  headers: { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-cache' },
  body,
});

const chooser = (problem?: string) =>
  page(
    problem ? 400 : 200,
    'Choose a partner',
    `<h1>Gradient integration</h1>
${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="get" action="/console/">
<label for="partner">Partner id</label>
<div class="row"><input id="partner" name="partner" required pattern="${ID_INPUT_PATTERN}"><button type="submit">Open</button></div>
</form>`,
  );

const STATEMENT_PATH = /^\/console\/partners\/([^/]+)\/statements\/(\d{4}-(?:0[1-9]|1[0-2]))$/;

/** `?limit=<n>` on the fleet page: its page size (the API bounds it). */
const pageSize = (url: URL) => {
  const limit = url.searchParams.get('limit');
  return limit && /^\d{1,3}$/.test(limit) ? ` page-size="${limit}"` : '';
};

const notFound = () => page(404, 'Not found', '<h1>Not found</h1><p><a href="/console/">Back to the console</a></p>');

const statementPage = (partnerId: string, period: string, apiBase: string) =>
  page(
    200,
    `Statement ${period} · ${partnerId}`,
    `<h1>Statement · partner ${escapeHtml(partnerId)}</h1>
<p><a href="/console/?partner=${encodeURIComponent(partnerId)}">Integration card</a> · <a href="/console/fleet">Fleet</a></p>
<gradient-statement partner-id="${escapeHtml(partnerId)}" period="${period}" api-base="${escapeHtml(apiBase)}"></gradient-statement>`,
  );

/**
 * The reply for a GET under /console, or undefined when the path is not the console's (the API answers it).
 * `apiBase` is the origin the card calls.
 */
export function consoleReply(bundle: ConsoleBundle, method: string, url: URL, apiBase: string): PageReply | undefined {
  const path = url.pathname;
  if (path !== '/console' && !path.startsWith('/console/')) return undefined;
  if (method !== 'GET') return { status: 405, headers: { allow: 'GET' }, body: '' };
  if (path === '/console') return { status: 308, headers: { location: `/console/${url.search}` }, body: '' };
  if (path === '/console/assets/card.js') return asset('text/javascript', bundle.js);
  if (path === '/console/assets/card.css') return asset('text/css', bundle.css);
  if (path === '/console/assets/page.css') return asset('text/css', PAGE_CSS);
  if (path === '/console/fleet')
    return page(
      200,
      'Fleet',
      `<h1>Gradient integrations · fleet</h1>
<gradient-fleet api-base="${escapeHtml(apiBase)}"${pageSize(url)}></gradient-fleet>`,
    );
  const statement = STATEMENT_PATH.exec(path);
  if (statement && ID_PATTERN.test(statement[1]!)) return statementPage(statement[1]!, statement[2]!, apiBase);
  if (path !== '/console/') return notFound();
  const partnerId = url.searchParams.get('partner');
  if (partnerId === null) return chooser();
  if (!ID_PATTERN.test(partnerId)) return chooser('That is not a partner id: letters, digits and . _ : - only.');
  return page(
    200,
    `Gradient · ${partnerId}`,
    `<h1>Integrations · partner ${escapeHtml(partnerId)}</h1>
<gradient-integration-card partner-id="${escapeHtml(partnerId)}" api-base="${escapeHtml(apiBase)}"></gradient-integration-card>`,
  );
}
