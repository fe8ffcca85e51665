/**
 * Scaffolder backend module of the Fabric Portal: the fabric:* actions behind
 * the templates in templates/.
 *
 * @packageDocumentation
 */

export { scaffolderModuleFabric as default } from './module';
export * from './actions';
export { LocalRepositories, repoNameSchema } from './lib/localRepos';
export {
  SITE_NAME_PATTERN,
  FRAMEWORK_BUILDS,
  siteNameSchema,
} from './domain/site';
export { DOCUMENT_TEMPLATES } from './domain/documents';
