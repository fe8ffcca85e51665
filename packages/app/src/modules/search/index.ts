export { searchModule } from './searchModule';
