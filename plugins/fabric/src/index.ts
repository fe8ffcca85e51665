export { fabricPlugin as default } from './plugin';
export {
  FabricOpsClient,
  useFabricOpsClient,
  type EntityHealth,
} from './operations/FabricOpsClient';
