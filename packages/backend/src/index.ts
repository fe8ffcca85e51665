import { createFabricBackend } from './backend';

createFabricBackend().start();
