import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Actor, ApprovalsRole } from './actors';

/** Maps request credentials to an {@link Actor}. */
export interface RoleResolver {
  resolve(credentials: BackstageCredentials): Promise<Actor>;
}

/**
 * The service's own view of who acts, checked on top of the permission
 * policy (defence in depth: a policy that allowed too much still cannot make
 * a tenant or CI approve): members of a reviewer group are operators, other
 * users are tenants, service principals (CI) are `ci`.
 */
export class GroupRoleResolver implements RoleResolver {
  constructor(
    private readonly auth: Pick<AuthService, 'isPrincipal'>,
    private readonly userInfo: UserInfoService,
    /** Lower-case group refs (fabricRolesServiceRef's reviewerGroups). */
    private readonly reviewerGroups: string[],
    /** Lower-case group refs of the governance owner (fabricRolesServiceRef's governanceGroups). */
    private readonly governanceGroups: string[] = [],
  ) {}

  async resolve(credentials: BackstageCredentials): Promise<Actor> {
    if (this.auth.isPrincipal(credentials, 'service')) {
      return {
        userRef: `service:${credentials.principal.subject}`,
        roles: ['ci'],
      };
    }
    if (
      !this.auth.isPrincipal(credentials, 'user') ||
      !credentials.principal.userEntityRef
    ) {
      return { userRef: 'anonymous', roles: [] };
    }
    const info = await this.userInfo.getUserInfo(credentials);
    const operator = info.ownershipEntityRefs.some(ref =>
      this.reviewerGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
    const governance = info.ownershipEntityRefs.some(ref =>
      this.governanceGroups.includes(ref.toLocaleLowerCase('en-US')),
    );
    let role: ApprovalsRole = 'tenant';
    if (operator) role = 'operator';
    else if (governance) role = 'governance';
    return { userRef: info.userEntityRef, roles: [role] };
  }
}
