// esbuild bundles imported CSS into the bundle's CSS file; for the type-checker such an import is a side effect.
declare module '*.css';
