import { SITE_FRAMEWORKS, SiteFramework } from '@internal/plugin-fabric-common';
import { z } from 'zod';

// The naming convention is part of the domain (the catalog checks website components too).
export {
  SITE_NAME_PATTERN,
  siteNameSchema,
} from '@internal/plugin-fabric-common';

export interface FrameworkBuild {
  /** What `npm run build` runs; none for plain HTML. */
  buildCommand?: string;
  /** Folder the host publishes; `.` is the repository root. */
  outputDir: string;
  /** Shown in forms and READMEs. */
  label: string;
}

/** The framework decides the build command and the published folder. */
export const FRAMEWORK_BUILDS: Record<SiteFramework, FrameworkBuild> = {
  html: { outputDir: '.', label: 'Static HTML (no build step)' },
  next: {
    buildCommand: 'next build',
    outputDir: 'out',
    label: 'Next.js (static export)',
  },
  astro: { buildCommand: 'astro build', outputDir: 'dist', label: 'Astro' },
};

export const siteFrameworkSchema = z.enum(SITE_FRAMEWORKS);
