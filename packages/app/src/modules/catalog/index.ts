export { catalogModule } from './CatalogIndex';
