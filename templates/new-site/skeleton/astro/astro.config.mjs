// `astro build` writes the static site to dist/, which the deploy workflow publishes.
import { defineConfig } from 'astro/config';

export default defineConfig({ site: 'https://${{ values.domain }}' });
