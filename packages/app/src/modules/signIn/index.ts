export { signInModule } from './signInModule';
export { fabricAuthApiRef } from './fabricAuthApi';
