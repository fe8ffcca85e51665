import { SITE_FRAMEWORKS, SiteFramework } from '@internal/plugin-fabric-common';
import { z } from 'zod';

/**
 * Site repositories are named `alai-<product>-web` for ALAI properties and
 * `client-<slug>-web` for client sites; the Pages project takes the same name.
 * (The naming convention is not in fabric-common yet; it is defined once here.)
 */
export const SITE_NAME_PATTERN = /^(alai|client)-[a-z0-9]+(-[a-z0-9]+)*-web$/;

export const siteNameSchema = z
  .string()
  .max(63, {
    error: 'is longer than 63 characters; use a shorter product or client slug',
  })
  .regex(SITE_NAME_PATTERN, {
    error: issue =>
      `${JSON.stringify(
        issue.input,
      )} does not follow the site naming convention; use alai-<product>-web for ALAI properties or client-<slug>-web for client sites (lower-case letters, digits and '-'), e.g. alai-shop-web`,
  });

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
