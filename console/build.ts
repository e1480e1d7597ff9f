// Builds the console bundle with esbuild, in memory: console/src/index.ts → one ES module (card.js) and one CSS
// file (card.css); no CDN, no runtime for the vendor to adopt. `npm run dev` serves it; `npm run console:build`
// writes both files to console/dist/ (git-ignored) for a vendor to host next to its console.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface ConsoleBundle {
  js: string;
  css: string;
}

export async function buildConsole(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: { card: join(__dirname, 'src', 'index.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    outdir: 'out',
    write: false,
    logLevel: 'silent',
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

if (require.main === module) {
  const outdir = join(__dirname, 'dist');
  buildConsole()
    .then(async (bundle) => {
      await mkdir(outdir, { recursive: true });
      await writeFile(join(outdir, 'card.js'), bundle.js);
      await writeFile(join(outdir, 'card.css'), bundle.css);
      console.log(`${outdir}: card.js ${bundle.js.length} bytes, card.css ${bundle.css.length} bytes`);
    })
    .catch((error) => {
      console.error('console build failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
