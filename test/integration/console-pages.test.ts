// The console's pages as `npm run dev` serves them next to the API: the card page for a partner, the bundle's
// two files, a clear answer to a bad partner id, and the API still answering beside them.
import { buildConsole } from '../../console/build';
import { type ApiServer, startApiServer } from '../../local/api-server';

let server: ApiServer;

beforeAll(async () => {
  const handler = async () => ({ statusCode: 200, body: '{"api":true}' });
  server = await startApiServer({ port: 0, handler, console: await buildConsole() });
});

afterAll(() => server?.close());

it('serves the card page of a partner with api-base set to its own origin, under a strict CSP', async () => {
  const res = await fetch(`${server.url}/console/?partner=acme-42`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await res.text();
  expect(html).toContain(`<gradient-integration-card partner-id="acme-42" api-base="${server.url}">`);
  expect(html).toContain('<script type="module" src="/console/assets/card.js">');
});

it('serves the bundle as one ES module and one CSS file', async () => {
  const js = await fetch(`${server.url}/console/assets/card.js`);
  expect(js.headers.get('content-type')).toContain('text/javascript');
  expect(await js.text()).toContain('gradient-integration-card');
  const css = await fetch(`${server.url}/console/assets/card.css`);
  expect(css.headers.get('content-type')).toContain('text/css');
  expect(await css.text()).toContain('.gic');
});

it('answers a partner id that is not one with the chooser and a 400, the input not echoed as markup', async () => {
  const res = await fetch(`${server.url}/console/?partner=${encodeURIComponent('<script>x</script>')}`);
  expect(res.status).toBe(400);
  expect(await res.text()).not.toContain('<script>x');
});

it('leaves every other path to the API handler', async () => {
  const res = await fetch(`${server.url}/v1/services`);
  expect(await res.json()).toEqual({ api: true });
});

it('serves the statement page of a partner and month, and the fleet page, both calling this origin', async () => {
  const statement = await fetch(`${server.url}/console/partners/acme-42/statements/2026-07`);
  expect(statement.status).toBe(200);
  expect(await statement.text()).toContain(
    `<gradient-statement partner-id="acme-42" period="2026-07" api-base="${server.url}">`,
  );
  const fleet = await fetch(`${server.url}/console/fleet`);
  expect(fleet.status).toBe(200);
  expect(await fleet.text()).toContain(`<gradient-fleet api-base="${server.url}">`);
});

it('answers a statement address whose month or partner id is not one with 404', async () => {
  for (const path of ['partners/acme-42/statements/2026-13', 'partners/a%3Cb/statements/2026-07']) {
    const res = await fetch(`${server.url}/console/${path}`);
    expect(res.status).toBe(404);
  }
});
