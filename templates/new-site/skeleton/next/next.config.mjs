// Static export: `next build` writes the site to out/, which the deploy workflow publishes.
const nextConfig = { output: 'export' };

export default nextConfig;
