// Preloaded (node --require) into the frontend development server that the Playwright suite
// starts, and only there. The dev server gzips its bundles again on every request and sends no
// cache headers: about 45 MB of JavaScript per page load, 2.2 s of CPU on a 2-core machine, paid
// on every navigation of every test. Over loopback the same files travel uncompressed in 0.3 s.
// The dev server takes `compression` from its own dependencies, so that module is answered with
// a pass-through middleware; nothing else changes. The backend (another process) keeps its own.
'use strict';

try {
  const devServer = require.resolve('@rspack/dev-server', {
    paths: [process.cwd(), __dirname],
  });
  const compression = require.resolve('compression', { paths: [devServer] });
  const passThrough = () => (_req, _res, next) => next();
  require.cache[compression] = {
    id: compression,
    filename: compression,
    loaded: true,
    exports: passThrough,
  };
} catch {
  // Not the dev server's process (yarn itself also starts with this option): nothing to do.
}
