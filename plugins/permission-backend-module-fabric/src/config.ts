// The policy's configuration is read once per backend by fabric-node's roles service, so
// approvals asks that service which groups review instead of reading permission.fabric.
export {
  readFabricPolicyConfig,
  FABRIC_PLUGIN_PERMISSION_PREFIXES,
  FABRIC_POLICY_CONFIG_KEY,
  type FabricPolicyConfig,
} from '@internal/plugin-fabric-node';
