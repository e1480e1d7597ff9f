// `npm run synth [-- -c stage=prod ...]`: synthesizes the stack offline (local esbuild bundling, cdk-nag
// applied by bin/app.ts), then prints the synth time and each Lambda bundle's size. Exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const outdir = path.join(root, 'cdk.out');
const cdkBin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'cdk.cmd' : 'cdk');

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Lambda functions of one template, with the asset folder their code comes from. */
function lambdaBundles(templatePath: string): { name: string; assetDir: string }[] {
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, CfnResource> };
  const bundles: { name: string; assetDir: string }[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const cdkPath = String(resource.Metadata?.['aws:cdk:path'] ?? logicalId);
    const metadataPath = resource.Metadata?.['aws:asset:path'];
    // Without asset metadata the S3 key is `<hash>.zip`, and the folder `asset.<hash>`.
    const key = (resource.Properties?.['Code'] as { S3Key?: unknown } | undefined)?.S3Key;
    const assetPath =
      typeof metadataPath === 'string'
        ? metadataPath
        : typeof key === 'string'
          ? `asset.${key.replace(/\.zip$/, '')}`
          : undefined;
    if (!assetPath) continue;
    // `Stack/Construct/Function/Resource` → `Construct/Function`
    const name = cdkPath.split('/').slice(1, -1).join('/');
    bundles.push({ name, assetDir: path.join(outdir, assetPath) });
  }
  return bundles.sort((a, b) => a.name.localeCompare(b.name));
}

function main(): number {
  const args = ['synth', '--no-notices', '--quiet', '--output', outdir, ...process.argv.slice(2)];
  const env = {
    ...process.env,
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: '1',
    // Bundling uses the local esbuild; nothing is fetched.
    npm_config_offline: 'true',
  };
  const started = process.hrtime.bigint();
  const result = spawnSync(cdkBin, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) {
    console.error(`synth: could not run cdk: ${result.error.message}`);
    return 1;
  }
  if (result.status !== 0) {
    console.error(`synth: cdk synth failed (exit ${result.status ?? result.signal}) after ${seconds.toFixed(1)} s`);
    return result.status ?? 1;
  }

  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  console.log(`\nsynth: ${stacks.length} stack(s) in ${seconds.toFixed(1)} s`);
  let missing = 0;
  for (const [stackName, artifact] of stacks) {
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile) continue;
    console.log(`\n${stackName} — Lambda bundles (index.js, minified):`);
    for (const { name, assetDir } of lambdaBundles(path.join(outdir, templateFile))) {
      const file = path.join(assetDir, 'index.js');
      if (!existsSync(file)) {
        console.log(`  ${name.padEnd(36)} (no bundle: bundling skipped?)`);
        missing += 1;
        continue;
      }
      const map = `${file}.map`;
      const mapNote = existsSync(map) ? `  (+ source map ${kib(statSync(map).size)})` : '';
      console.log(`  ${name.padEnd(36)} ${kib(statSync(file).size).padStart(12)}${mapNote}`);
    }
  }
  return missing > 0 ? 1 : 0;
}

process.exitCode = main();
