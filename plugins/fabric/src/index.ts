export { fabricPlugin as default } from './plugin';
