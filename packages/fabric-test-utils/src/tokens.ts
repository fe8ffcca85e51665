/**
 * The CI token of app-config.yaml (`backend.auth.externalAccess`): a local default only, never
 * valid in production. Tests use it as CI would (catalog read, gate read, uploads, ...).
 */
export const CI_TOKEN = 'local-dev-ci-token-not-for-production';
