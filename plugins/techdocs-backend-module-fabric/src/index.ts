/**
 * TechDocs for the Fabric Portal: local builds never rewrite files in the checkout.
 *
 * @packageDocumentation
 */

export { techdocsModuleFabric as default } from './module';
export { CopyingDirectoryPreparer } from './CopyingDirectoryPreparer';
export { sourceEtag } from './sourceEtag';
