// Preloaded (node --require) into the frontend development server that the Playwright suite
// starts, and only there. The dev server gzips its bundles again on every request and sends no
// cache headers: about 45 MB of JavaScript per page load, 2.2 s of CPU on a 2-core machine, paid
// on every navigation of every test. Over loopback the same files travel uncompressed in 0.3 s.
// The dev server takes `compression` from its own dependencies, so that module is answered with
// a pass-through middleware; nothing else changes. The backend (another process) keeps its own.
'use strict';

try {
  // From where the Backstage CLI loads the dev server, so a nested copy is found too.
  const cli = require.resolve('@backstage/cli-module-build/package.json', {
    paths: [process.cwd(), __dirname],
  });
  const devServer = require.resolve('@rspack/dev-server', { paths: [cli] });
  const compression = require.resolve('compression', { paths: [devServer] });
  const passThrough = () => (_req, _res, next) => next();
  require.cache[compression] = {
    id: compression,
    filename: compression,
    loaded: true,
    exports: passThrough,
  };
} catch (error) {
  // Yarn and the CLI get this option too; they find the same modules and never use them. If
  // the dev server cannot be found, say so: the suite still runs, only slower.
  console.warn(`devServerWithoutCompression: not applied (${error})`);
}
